package dev.signet.server.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.Version;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The S3 client must not bring Netty 4.1 next to Signet's Netty 4.2: the AWS SDK's {@code netty-nio-client} (built
 * for 4.1) is excluded, and so is any Netty jar that is not 4.2. A new dependency that pulls one in fails here.
 */
class NettyClasspathTest {

    @Test
    void onlyNetty42JarsAreOnTheClasspath() {
        List<String> nettyJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(path -> new File(path).getName())
                .filter(name -> name.startsWith("netty-") && name.endsWith(".jar"))
                .toList();
        assertThat(nettyJars).isNotEmpty().allSatisfy(name -> assertThat(name).matches("netty-.*-4\\.2\\.\\d+\\.Final.*\\.jar"));
        assertThat(Version.identify().values()).allSatisfy(v -> assertThat(v.artifactVersion()).startsWith("4.2."));
    }

    @Test
    void theSdksNettyClientIsAbsentAndTheApache5ClientIsThere() throws ClassNotFoundException {
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.apache.ApacheHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Class.forName("software.amazon.awssdk.http.apache5.Apache5HttpClient")).isNotNull();
    }
}

package dev.signet.server.demo;

import java.util.List;

/**
 * The projects behind {@code signet demo}: an application with a small dependency tree in which the resolver has to
 * choose. {@code signet-demo-app} pins {@code signet-demo-lib<2}, so lib 1.2.0 (not 1.0.0, not 2.0.0) must win; lib
 * 1.2.0 needs {@code signet-demo-utils>=1.0}, so utils 0.9.0 must be skipped; {@code Signet_Demo.Text} is spelled
 * unnormalized on purpose so its index page lives under {@code signet-demo-text}.
 */
public final class DemoProjects {
    private DemoProjects() {
    }

    public static List<WheelBuilder> demoWheels() {
        return List.of(
                WheelBuilder.wheel("signet-demo-app", "1.0.0")
                        .requiresPython(">=3.8")
                        .requires("signet-demo-lib>=1.0,<2", "signet-demo-utils"),
                WheelBuilder.wheel("signet-demo-lib", "1.0.0")
                        .requiresPython(">=3.8")
                        .requires("signet-demo-utils>=0.9"),
                WheelBuilder.wheel("signet-demo-lib", "1.2.0")
                        .requiresPython(">=3.8")
                        .requires("signet-demo-utils>=1.0", "signet-demo-text"),
                WheelBuilder.wheel("signet-demo-lib", "2.0.0")
                        .requiresPython(">=3.8")
                        .requires("signet-demo-utils>=1.0"),
                WheelBuilder.wheel("signet-demo-utils", "0.9.0"),
                WheelBuilder.wheel("signet-demo-utils", "1.0.0"),
                WheelBuilder.wheel("Signet_Demo.Text", "0.3.0")
                        .requiresPython(">=3.8"));
    }
}

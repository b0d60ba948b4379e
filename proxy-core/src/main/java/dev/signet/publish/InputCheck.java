package dev.signet.publish;

import dev.signet.index.DistributionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Everything a publish run checks before it writes a byte: file names, clashes with each other and with the index,
 * files to yank, every new wheel's metadata, and that re-given inputs are the bytes published already. Problems are
 * collected, not thrown one by one, so a run names every bad input at once.
 */
final class InputCheck {

    private InputCheck() {
    }

    record Inputs(List<FilePublisher.Input> add, List<FilePublisher.Input> unchanged) {
    }

    /** Names, clashes and files to yank; every problem goes to {@code problems}. */
    static Inputs check(PublishRequest request, PublishedIndex index, List<String> problems) {
        Map<String, String> fileByClashKey = new HashMap<>();
        for (String published : index.fileNames()) {
            try {
                fileByClashKey.put(DistributionName.parse(published).clashKey(), published);
            } catch (PublishException notOurs) {
                // Written by another tool under a name this publisher would refuse; it still blocks only itself.
            }
        }
        List<FilePublisher.Input> add = new ArrayList<>();
        List<FilePublisher.Input> unchanged = new ArrayList<>();
        Map<String, Path> inputByName = new HashMap<>();
        for (Path source : request.files()) {
            String fileName = source.getFileName().toString();
            DistributionName name;
            try {
                name = DistributionName.parse(fileName);
            } catch (PublishException e) {
                problems.add(source + ": " + e.getMessage().substring(fileName.length() + 2));
                continue;
            }
            Path sameName = inputByName.putIfAbsent(fileName, source);
            if (sameName != null) {
                problems.add(source + ": given twice (also " + sameName + ")");
                continue;
            }
            if (!Files.isRegularFile(source)) {
                problems.add(source + ": not a regular file");
                continue;
            }
            if (index.file(fileName).isPresent()) {
                unchanged.add(new FilePublisher.Input(source, name));
                continue;
            }
            String clash = fileByClashKey.putIfAbsent(name.clashKey(), fileName);
            if (clash != null) {
                problems.add(source + ": normalises to the same name as " + clash
                        + " (installers would see two copies of one file)");
                continue;
            }
            add.add(new FilePublisher.Input(source, name));
        }
        for (String yank : request.yanks().keySet()) {
            if (index.file(yank).isEmpty()) {
                problems.add(yank + ": cannot yank, no such file in the index");
            }
        }
        add.sort(Comparator.comparing(input -> input.name().fileName()));
        return new Inputs(add, unchanged);
    }

    /**
     * Before anything is written, in parallel: reads every new wheel's metadata and checks that inputs published
     * already have the same bytes, so every bad input is named at once.
     */
    static Map<FilePublisher.Input, Optional<WheelMetadata>> inspect(Inputs inputs, PublishedIndex index,
            ExecutorService workers, List<String> problems) throws IOException {
        List<Future<Optional<String>>> checks = new ArrayList<>();
        for (FilePublisher.Input input : inputs.unchanged()) {
            checks.add(workers.submit(() -> sameAsPublished(input, index)));
        }
        Map<FilePublisher.Input, Future<Optional<WheelMetadata>>> reads = new LinkedHashMap<>();
        for (FilePublisher.Input input : inputs.add()) {
            reads.put(input, workers.submit(() -> input.name().wheel()
                    ? Optional.of(WheelMetadata.read(input.source(), input.name()))
                    : Optional.<WheelMetadata>empty()));
        }
        Map<FilePublisher.Input, Optional<WheelMetadata>> metadata = new HashMap<>();
        for (Map.Entry<FilePublisher.Input, Future<Optional<WheelMetadata>>> read : reads.entrySet()) {
            try {
                metadata.put(read.getKey(), read.getValue().get());
            } catch (ExecutionException e) {
                problems.add(describe(read.getKey(), e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading wheel metadata");
            }
        }
        for (int i = 0; i < checks.size(); i++) {
            try {
                checks.get(i).get().ifPresent(problems::add);
            } catch (ExecutionException e) {
                problems.add(describe(inputs.unchanged().get(i), e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing inputs");
            }
        }
        return metadata;
    }

    private static Optional<String> sameAsPublished(FilePublisher.Input input, PublishedIndex index)
            throws IOException {
        String fileName = input.name().fileName();
        DistributionFile published = index.file(fileName).orElseThrow();
        String sha256 = FileCopy.hash(input.source()).sha256Hex();
        if (published.sha256().map(sha256::equals).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(input.source() + ": " + fileName + " is published already with other bytes"
                + " (published files are immutable; give it a new version or build number)");
    }

    /** A refusal of one input, naming the input by its path. */
    static String describe(FilePublisher.Input input, Throwable failure) {
        if (failure instanceof PublishException refused) {
            String message = refused.getMessage();
            String fileName = input.name().fileName();
            return message.startsWith(fileName) ? input.source() + message.substring(fileName.length()) : message;
        }
        return input.source() + ": " + failure;
    }
}

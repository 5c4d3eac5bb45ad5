package dev.wmpc.launch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every command shares (mix in with {@code @Mixin CommonOptions common;}): --verbose, --log-file, --json.
 * Call {@link #applyLogging()} first thing in a command; print reports with {@link #report(Object)}.
 */
public final class CommonOptions {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    /**
     * DJL's CUDA probe: whenever the engine starts it asks for GPUs, and on a machine without CUDA it warns that it
     * found none. logback.xml keeps it to errors; {@link #applyLogging()} lets it speak with --verbose or --device gpu.
     */
    private static final String CUDA_PROBE_LOGGER = "ai.djl.util.cuda.CudaUtils";

    /** The command this mixin is part of (null when made outside picocli), to see whether it was asked for a GPU. */
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--verbose", description = "Debug logs, and stack traces on errors.")
    public boolean verbose;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Also write logs to this file.")
    public Path logFile;

    @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
    public boolean json;

    /**
     * Sets the log level (info, or debug with --verbose) and adds the log file if asked. DJL's CUDA probe stays at
     * errors unless --verbose or a GPU (--device gpu) was asked for.
     */
    public void applyLogging() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : Level.INFO);
        if (!verbose) {
            // Third-party libraries are chatty at info; keep the console to wmpc's own messages.
            for (String noisy : new String[] {"ai.djl", "us.ihmc", "com.eprosima", "org.duckdb"})
                ctx.getLogger(noisy).setLevel(Level.WARN);
        }
        ctx.getLogger(CUDA_PROBE_LOGGER).setLevel(verbose || gpuAsked() ? null : Level.ERROR); // null: as ai.djl
        if (logFile != null) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
            enc.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("file");
            file.setFile(logFile.toString());
            file.setEncoder(enc);
            file.start();
            root.addAppender(file);
        }
    }

    /** Whether the command has a --device option set to gpu or gpu:N. */
    private boolean gpuAsked() {
        OptionSpec device = command == null ? null : command.findOption("--device");
        return device != null && String.valueOf((Object) device.getValue()).startsWith("gpu");
    }

    /** Prints the report as one JSON line when --json is set. */
    public void report(Object report) {
        if (json) System.out.println(toJson(report));
    }

    public static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise report " + o.getClass().getName(), e);
        }
    }
}

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
import picocli.CommandLine.Option;

/**
 * Options every command shares (mix in with {@code @Mixin CommonOptions common;}): --verbose, --log-file, --json.
 * Call {@link #applyLogging()} first thing in a command; print reports with {@link #report(Object)}.
 */
public final class CommonOptions {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--verbose", description = "Debug logs, and stack traces on errors.")
    public boolean verbose;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Also write logs to this file.")
    public Path logFile;

    @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
    public boolean json;

    /** Sets the log level (info, or debug with --verbose) and adds the log file if asked. */
    public void applyLogging() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : Level.INFO);
        if (!verbose) {
            // Third-party libraries are chatty at info; keep the console to wmpc's own messages.
            for (String noisy : new String[] {"ai.djl", "us.ihmc", "com.eprosima", "org.duckdb"})
                ctx.getLogger(noisy).setLevel(Level.WARN);
        }
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

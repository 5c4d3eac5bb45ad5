package dev.wmpc.dataset;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** DuckDB (in-memory, JDBC) for reading and writing parquet; SQL literal helpers. */
final class Duck {
    private Duck() {}

    static DuckDBConnection open() {
        try {
            Connection c = DriverManager.getConnection("jdbc:duckdb:");
            DuckNativeCopies.removeOnce();
            try (var s = c.createStatement()) {
                s.execute("SET threads TO 1");
                s.execute("SET preserve_insertion_order TO true");
                return (DuckDBConnection) c;
            } catch (SQLException | RuntimeException e) { // the caller never gets the connection to close
                try {
                    c.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    static String str(String s) { return "'" + s.replace("'", "''") + "'"; }

    static String path(Path p) { return str(p.toAbsolutePath().toString()); }

    static String id(String column) { return "\"" + column.replace("\"", "\"\"") + "\""; }

    static String list(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) b.append(i > 0 ? ", " : "").append(str(values.get(i)));
        return b.append("]::VARCHAR[]").toString();
    }

    static String literal(Object o) {
        if (o == null) return "NULL";
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append(literal(l.get(i)));
            return b.append("]").toString();
        }
        if (o instanceof Double d) return Double.isFinite(d) ? d.toString() : "'" + d + "'::DOUBLE";
        if (o instanceof String s) return str(s);
        return o.toString();
    }
}

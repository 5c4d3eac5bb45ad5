package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import java.util.List;

/** diagnostic_msgs/DiagnosticArray: what nodes publish on {@code /diagnostics} (rqt_robot_monitor, Foxglove show it). */
public record DiagnosticArray(Header header, List<DiagnosticStatus> status) {
    public DiagnosticArray { status = List.copyOf(status); }

    public static final MessageType<DiagnosticArray> TYPE = new MessageType<>() {
        @Override public String rosName() { return "diagnostic_msgs/msg/DiagnosticArray"; }
        @Override public int maxSerializedSize() { return 256 * 1024; }
        @Override public void write(DiagnosticArray m, CdrWriter w) {
            m.header.write(w);
            w.writeSequence(m.status, DiagnosticStatus::write);
        }
        @Override public DiagnosticArray read(CdrReader r) {
            return new DiagnosticArray(Header.read(r), r.readSequence(DiagnosticStatus.MIN_BYTES, DiagnosticStatus::read));
        }
    };
}

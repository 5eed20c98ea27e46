package eventports.tracevalidation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cold child loads its traces on a thread of its own while TLC parses the spec (TlcChild.run):
 * a trace file it cannot load is the reason it reports, not what TLC said when the batch it
 * waited for never came; a good one beside it is validated as before.
 */
class ChildLoadTest {
    private static final String BATCH = "{\"threadSlots\":true,\"profile\":\"illumos\",\"maxEvents\":512,\"traces\":1,\"records\":2}";

    @Test
    void aTraceTheChildCannotLoadIsTheReasonGiven() {
        IOException e = assertThrows(IOException.class, () -> TlcChild.spawn(dir -> {
            Files.writeString(dir.resolve("batch.json"), BATCH);
            Files.writeString(dir.resolve("trace-1.ndjson"),
                    "{\"seq\":0,\"action\":\"port_create\",\"thread\":\"T1\",\"pid\":1,\"port\":1,\"fd\":3}\n"
                            + "{\"seq\":1,\"action\":\"port_create\",\"pid\":1,\"port\":1,\"fd\":3}\n");
        }));
        assertTrue(e.getMessage().contains("record without \"thread\""), e.getMessage());
    }

    @Test
    void aTraceItLoadsIsValidated() throws Exception {
        var res = TlcChild.spawn(dir -> {
            Files.writeString(dir.resolve("batch.json"), BATCH.replace("\"records\":2", "\"records\":1"));
            Files.writeString(dir.resolve("trace-1.ndjson"),
                    "{\"seq\":0,\"action\":\"port_create\",\"thread\":\"T1\",\"pid\":1,\"port\":1,\"fd\":3}\n");
        });
        assertTrue(res.get(0).get("accepted").asBoolean(), res.toString());
    }
}

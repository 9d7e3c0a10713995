import io.warren.api.Job;
import io.warren.api.JobHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bench scripts' job handler: appends the id of every job it runs to a file, one line each,
 * straight to the operating system (no buffer a kill -9 could lose). Counting the lines against
 * the ids the load program was given shows jobs lost and jobs run twice.
 */
public class Ledger implements JobHandler {

    private FileChannel out;

    public void setFile(String file) throws IOException {
        Path path = Path.of(file);
        Files.createDirectories(path.toAbsolutePath().getParent());
        out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public void handle(Job job) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((job.id() + "\n").getBytes(StandardCharsets.US_ASCII));
        synchronized (this) {
            while (line.hasRemaining()) {
                out.write(line);
            }
        }
    }
}

package io.warren.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system for tests whose fsync can be made to fail, as a disk that lost writes does:
 * {@code jdbc:h2:file:failing-fsync:<path>} is the file at path, and after {@link #failAfter} its
 * fsyncs ({@code FileChannel.force}) throw an IOException. Public, as H2 makes its paths by reflection.
 */
public final class FailingFsync extends FilePathWrapper {

    private static final String SCHEME = "failing-fsync";
    /** Fsyncs still allowed, by folder: the folder of each test's database. */
    private static final Map<String, AtomicInteger> ALLOWED = new ConcurrentHashMap<>();

    static {
        FilePath.register(new FailingFsync());
    }

    /** The JDBC URL of warren's H2 database in this folder (Database.url), on this file system. */
    static String url(Path folder) {
        return Database.url(null, folder.toString()).replace("jdbc:h2:file:", "jdbc:h2:file:" + SCHEME + ":");
    }

    /** From now on, the files in {@code folder} get {@code n} more fsyncs, then each fails. */
    static void failAfter(Path folder, int n) {
        ALLOWED.put(folder.toAbsolutePath().normalize().toString(), new AtomicInteger(n));
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode), Path.of(unwrap().toString()).toAbsolutePath().normalize().getParent().toString());
    }

    private static final class Channel extends FileBase {

        private final FileChannel file;
        private final String folder;

        Channel(FileChannel file, String folder) {
            this.file = file;
            this.folder = folder;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            AtomicInteger allowed = ALLOWED.get(folder);
            if (allowed != null && allowed.getAndDecrement() <= 0) {
                throw new IOException("fsync failed (made by the test)");
            }
            file.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}

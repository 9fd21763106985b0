package io.fal4j.runtime.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The queue's durable store: an append-only log of {@link JournalRecord}s in numbered segment files.
 * One writer thread appends, so concurrent callers share a write and an fsync (group commit); a
 * caller is told its record is stored only once it is on disk. When the active segment grows past
 * its limit, the live state is written to a fresh segment and the older ones are deleted, so the
 * journal stays proportional to what is still queued or retained.
 *
 * <p>A frame is {@code [length][crc32c][record]}; a torn frame at the end of the last segment (a
 * write cut short by a crash) is cut off when the journal is opened.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Journal.class);
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";
    private static final int HEADER = 8;
    private static final int MAX_BATCH = 1024;

    private final Path dir;
    private final boolean sync;
    private final long segmentSize;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Entry> live = new LinkedHashMap<>();
    private final List<Entry> recovered;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ExecutorService compactor;
    private FileChannel active;
    private long activeNumber;
    private volatile long compactAt;
    private volatile boolean compacting;
    private volatile boolean closed;
    private volatile IOException broken;

    /**
     * What the journal knows of one request: the latest of each kind of record, and how often it was started.
     *
     * @param submitted the request
     * @param starts how many times a worker started it
     * @param completed its answer, or null while it is pending
     * @param webhook its webhook delivery state, or null
     */
    public record Entry(JournalRecord.Submitted submitted, int starts, JournalRecord.Completed completed,
            JournalRecord.Webhook webhook) {
    }

    private record Pending(JournalRecord record, CompletableFuture<Void> stored) {
    }

    private Journal(Path dir, boolean sync, long segmentSize) throws IOException {
        this.dir = dir;
        this.sync = sync;
        this.segmentSize = segmentSize;
        this.compactAt = segmentSize;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IOException("the queue directory " + dir + " is in use by another runner");
        }
        this.lock = acquired;
        try {
            replay();
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        this.recovered = List.copyOf(live.values());
        this.compactor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fal4j-journal-compactor");
            thread.setDaemon(true);
            return thread;
        });
        this.writer = new Thread(this::write, "fal4j-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (or creates) the journal in a directory, replaying what it holds.
     *
     * @param sync whether an append waits for fsync; without it a record survives a crash of the
     *        process but not of the machine
     * @param segmentSize the size past which the journal is compacted
     * @throws IOException when the directory cannot be used, or another runner holds it
     */
    public static Journal open(Path dir, boolean sync, long segmentSize) throws IOException {
        return new Journal(dir, sync, segmentSize);
    }

    /** The requests found when the journal was opened, in the order they were submitted. */
    public List<Entry> recovered() {
        return recovered;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Appends a record. The future completes once the record is written (and, when it is durable
     * and the journal syncs, on disk), or fails when it could not be stored.
     */
    public CompletableFuture<Void> append(JournalRecord record) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        IOException failure = broken;
        if (closed || failure != null) {
            stored.completeExceptionally(failure != null ? failure : new IOException("the journal is closed"));
            return stored;
        }
        pending.add(new Pending(record, stored));
        return stored;
    }

    /** The bytes the journal takes on disk now. */
    public long size() throws IOException {
        long total = 0;
        for (Path segment : segments()) {
            try {
                total += Files.size(segment);
            } catch (NoSuchFileException compactedAway) {
                // deleted by a compaction between listing and reading
            }
        }
        return total;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.interrupt();
        try {
            // the writer stops first: until it does, it may start a compaction
            writer.join(TimeUnit.SECONDS.toMillis(10));
            compactor.shutdown();
            compactor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            compactor.shutdown();
        }
        release();
    }

    private void release() {
        try {
            if (active != null) {
                active.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warnf("Closing the journal in %s: %s", dir, e);
        }
    }

    private void replay() throws IOException {
        try (var leftovers = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.delete(leftover);
            }
        }
        List<Path> segments = segments();
        for (int i = 0; i < segments.size(); i++) {
            replay(segments.get(i), i == segments.size() - 1);
        }
        activeNumber = segments.isEmpty() ? 1 : number(segments.get(segments.size() - 1));
        active = FileChannel.open(segment(activeNumber), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        active.position(active.size());
        if (!live.isEmpty()) {
            LOG.infof("Journal %s: %d requests recovered", dir, live.size());
        }
    }

    private void replay(Path segment, boolean last) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (position < size) {
                JournalRecord record = null;
                header.clear();
                if (size - position >= HEADER && channel.read(header, position) == HEADER) {
                    int length = header.getInt(0);
                    int crc = header.getInt(4);
                    if (length > 0 && length <= size - position - HEADER) {
                        ByteBuffer body = ByteBuffer.allocate(length);
                        channel.read(body, position + HEADER);
                        record = JournalRecord.unframe(body.array(), crc);
                    }
                }
                if (record == null) {
                    if (last) {
                        LOG.warnf("Journal %s: a torn record at byte %d (a write cut short); cutting it off",
                                segment, position);
                        channel.truncate(position);
                    } else {
                        LOG.errorf("Journal %s: a damaged record at byte %d; the rest of this segment is skipped",
                                segment, position);
                    }
                    return;
                }
                apply(record);
                position += HEADER + header.getInt(0);
            }
        }
    }

    /** Folds a record into the live state; the same record twice leaves the same state. */
    private void apply(JournalRecord record) {
        Entry entry = live.get(record.id());
        if (record instanceof JournalRecord.Submitted submitted) {
            if (entry == null) {
                live.put(submitted.id(), new Entry(submitted, 0, null, null));
            }
        } else if (record instanceof JournalRecord.Expired) {
            live.remove(record.id());
        } else if (entry != null) {
            if (record instanceof JournalRecord.Started) {
                live.put(record.id(), new Entry(entry.submitted(), entry.starts() + 1, entry.completed(),
                        entry.webhook()));
            } else if (record instanceof JournalRecord.Completed completed) {
                live.put(record.id(), new Entry(entry.submitted().withoutBody(), entry.starts(), completed,
                        entry.webhook()));
            } else if (record instanceof JournalRecord.Webhook webhook) {
                live.put(record.id(), new Entry(entry.submitted(), entry.starts(), entry.completed(), webhook));
            }
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    // A segment that grew past the limit while a compaction ran is compacted once
                    // the journal is idle, not only on the next append.
                    compactIfDue();
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (pending.isEmpty()) {
                    break;
                }
                continue;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            store(batch);
            batch.clear();
        }
        for (Pending left; (left = pending.poll()) != null;) {
            left.stored().completeExceptionally(new IOException("the journal is closed"));
        }
    }

    private void store(List<Pending> batch) {
        long start;
        try {
            start = active.position();
        } catch (IOException e) {
            fail(batch, e);
            return;
        }
        try {
            ByteArrayOutputStream frames = new ByteArrayOutputStream(256 * batch.size());
            boolean durable = false;
            for (Pending item : batch) {
                JournalRecord.frame(item.record(), frames);
                durable |= item.record().durable();
            }
            ByteBuffer buffer = ByteBuffer.wrap(frames.toByteArray());
            while (buffer.hasRemaining()) {
                active.write(buffer);
            }
            if (sync && durable) {
                active.force(false);
            }
        } catch (IOException | UncheckedIOException e) {
            IOException failure = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            rollBack(start, failure);
            fail(batch, failure);
            return;
        }
        for (Pending item : batch) {
            apply(item.record());
        }
        compactIfDue();
        for (Pending item : batch) {
            item.stored().complete(null);
        }
    }

    private void rollBack(long start, IOException cause) {
        try {
            active.truncate(start);
            active.position(start);
            LOG.errorf("Journal %s: a write failed and was rolled back: %s", dir, cause);
        } catch (IOException e) {
            broken = new IOException("the journal in " + dir + " cannot be written: " + cause.getMessage(), cause);
            LOG.errorf("Journal %s: a write failed and could not be rolled back; the queue stops accepting: %s",
                    dir, e);
        }
    }

    private static void fail(List<Pending> batch, IOException failure) {
        for (Pending item : batch) {
            item.stored().completeExceptionally(failure);
        }
    }

    private void compactIfDue() {
        try {
            if (!compacting && active.position() > compactAt) {
                compact();
            }
        } catch (IOException e) {
            LOG.errorf("Journal %s: cannot start a compaction, the journal keeps growing: %s", dir, e);
        }
    }

    /**
     * Starts a compaction without stalling appends: appends move on to a fresh segment at once,
     * while the live state as of now is written, in the background, to the segment between the old
     * ones and the fresh one. Once that snapshot is on disk, the old segments are deleted. Replay
     * reads segments in order, so a crash at any point finds either the old segments or the
     * snapshot, followed by everything appended since.
     */
    private void compact() throws IOException {
        long snapshot = activeNumber + 1;
        long next = activeNumber + 2;
        List<Entry> state = new ArrayList<>(live.values());
        FileChannel opened = FileChannel.open(segment(next), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileChannel previous = active;
        active = opened;
        activeNumber = next;
        previous.close();
        compacting = true;
        try {
            compactor.execute(() -> snapshot(snapshot, state));
        } catch (RejectedExecutionException closing) {
            // the journal closes: the old segments stay, followed by the fresh one, and replay reads both
            compacting = false;
        }
    }

    private void snapshot(long number, List<Entry> state) {
        Path temporary = dir.resolve(PREFIX + number + SUFFIX + ".tmp");
        try {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (Entry entry : state) {
                JournalRecord.frame(entry.completed() == null ? entry.submitted() : entry.submitted().withoutBody(), frames);
                if (entry.starts() > 0) {
                    JournalRecord.frame(new JournalRecord.Started(entry.submitted().id(), 0), frames);
                }
                if (entry.completed() != null) {
                    JournalRecord.frame(entry.completed(), frames);
                }
                if (entry.webhook() != null) {
                    JournalRecord.frame(entry.webhook(), frames);
                }
            }
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(frames.toByteArray());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temporary, segment(number), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
            for (Path old : segments()) {
                if (number(old) < number) {
                    Files.deleteIfExists(old);
                }
            }
            // Compacting again only once as much has been appended as the snapshot holds keeps the
            // cost of compaction proportional to the bytes appended.
            compactAt = Math.max(segmentSize, frames.size());
            LOG.debugf("Journal %s compacted to %d bytes for %d requests", dir, frames.size(), state.size());
        } catch (IOException | UncheckedIOException e) {
            LOG.errorf("Journal %s: compaction failed, the old segments stay: %s", dir, e);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                LOG.debugf("Cannot delete %s", temporary);
            }
        } finally {
            compacting = false;
        }
    }

    /** Whether a compaction is being written now. */
    boolean compacting() {
        return compacting;
    }

    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.debugf("Cannot sync the directory %s: %s", dir, e);
        }
    }

    private List<Path> segments() throws IOException {
        List<Path> segments = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            files.forEach(segments::add);
        }
        segments.sort((a, b) -> Long.compare(number(a), number(b)));
        return segments;
    }

    private Path segment(long number) {
        return dir.resolve(PREFIX + number + SUFFIX);
    }

    private static long number(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }
}

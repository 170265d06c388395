package io.wayfinder.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a file looked like at one moment, enough to tell that it changed: modification time (at
 * the file system's resolution, nanoseconds on ext4 and tmpfs), size, and identity (the inode on
 * Unix), which changes when the file is replaced by a rename, as editors, atomic writers and
 * Kubernetes' symlink swaps do, even when time and size happen to match. Symbolic links are
 * followed.
 *
 * @param modified null when the file does not exist or cannot be read
 */
public record FileStamp(FileTime modified, long size, Object identity) {
    /** A file that is not there (or not readable): it changes when it appears. */
    public static final FileStamp MISSING = new FileStamp(null, -1, null);

    public static FileStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException | SecurityException e) {
            return MISSING;
        }
    }

    /** The stamps of these files, in their order (a file named twice is stamped once). */
    public static Map<Path, FileStamp> of(List<Path> files) {
        Map<Path, FileStamp> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.computeIfAbsent(f, FileStamp::of);
        }
        return out;
    }

    @Override
    public String toString() {
        return modified == null ? "missing" : modified + ", " + size + " bytes" + (identity == null ? "" : ", " + identity);
    }
}

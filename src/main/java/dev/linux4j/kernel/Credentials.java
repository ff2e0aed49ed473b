package dev.linux4j.kernel;

/** A task's identity: Linux's {@code struct cred} (real, effective, saved, fs ids; groups). */
public record Credentials(int uid, int euid, int suid, int fsuid, int gid, int egid, int sgid, int fsgid, int[] groups) {
    public static Credentials of(int uid, int gid, int[] groups) {
        return new Credentials(uid, uid, uid, uid, gid, gid, gid, gid, groups.clone());
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }
}

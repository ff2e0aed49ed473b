package dev.linux4j.syscall;

import static dev.linux4j.abi.Mman.*;

import dev.linux4j.abi.Errno;
import dev.linux4j.abi.ErrnoException;
import dev.linux4j.kernel.Task;
import dev.linux4j.abi.Stat;
import dev.linux4j.abi.StatBuf;
import dev.linux4j.memory.AddressSpace;
import dev.linux4j.fs.memfd.MemfdFile;
import dev.linux4j.memory.MappedFile;
import dev.linux4j.vfs.FileDescription;
import dev.linux4j.vfs.FileMapping;

/** Memory mappings: mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c. */
final class MmapSyscalls {
    private MmapSyscalls() {}

    /** brk(2): {@code void *brk(void *addr)} — the raw syscall returns the (new or old) break. */
    static long brk(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        return task.memory().brk(addr);
    }

    /**
     * mmap(2): {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}.
     * Anonymous memory, and regular files MAP_PRIVATE (copy on write) or MAP_SHARED (the file's
     * pages); /dev/zero maps anonymous memory as on Linux. The checks follow do_mmap().
     */
    static long mmap(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        int prot = args.int32(2);
        int flags = args.int32(3);
        int fd = args.int32(4);
        long offset = args.int64(5);
        if ((offset & (PAGE_SIZE - 1)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (length == 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        if (Long.compareUnsigned(length, TASK_SIZE) > 0) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        int effectiveProt = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
        if ((flags & MAP_ANONYMOUS) != 0) {
            return task.memory().map(addr, length, effectiveProt, flags, "", 0);
        }
        FileDescription file = task.files().get(fd);
        if (file.isPath()) {
            throw ErrnoException.of(Errno.EBADF);
        }
        long pages = AddressSpace.pageAlignUp(length);
        if (offset < 0 || offset + pages < offset) {
            throw ErrnoException.of(Errno.EOVERFLOW); // pgoff + len wraps
        }
        StatBuf st = file.ops().stat(file);
        if ((st.mode() & Stat.S_IFMT) == Stat.S_IFCHR && "/dev/zero".equals(file.path())) {
            // drivers/char/mem.c mmap_zero(): private zero pages (shared ones are shmem, alike for one process).
            if (!file.readable()) {
                throw ErrnoException.of(Errno.EACCES);
            }
            return task.memory().map(addr, length, effectiveProt, flags & ~MAP_ANONYMOUS, "/dev/zero", offset);
        }
        if (!Stat.isReg(st.mode())) {
            throw ErrnoException.of(Errno.ENODEV); // no ->mmap (directories, pipes, most devices)
        }
        if (!file.readable()) {
            throw ErrnoException.of(Errno.EACCES);
        }
        if (type != MAP_PRIVATE && (prot & PROT_WRITE) != 0
                && (!file.writable() || (file.flags() & dev.linux4j.abi.Fcntl.O_APPEND) != 0)) {
            throw ErrnoException.of(Errno.EACCES);
        }
        if (file.ops() instanceof MemfdFile memfd) {
            memfd.checkMmap(type != MAP_PRIVATE, (prot & PROT_WRITE) != 0); // shmem_mmap_prepare: EPERM when write-sealed
        }
        if (type != MAP_PRIVATE) {
            FileMappings.beforeAccess(file); // the cache starts from what read(2) would see
        }
        MappedFile mapped = FileMapping.of(file);
        file.retain(); // the new VMA's reference (vma->vm_file)
        try {
            return task.memory().map(addr, length, effectiveProt, flags, file.path(), offset, mapped);
        } catch (RuntimeException e) {
            file.release();
            throw e;
        }
    }

    /** munmap(2): {@code int munmap(void *addr, size_t length)}. */
    static long munmap(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        task.memory().unmap(addr, length);
        return 0;
    }

    /** mprotect(2): {@code int mprotect(void *addr, size_t len, int prot)}. */
    static long mprotect(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        int prot = args.int32(2);
        task.memory().protect(addr, length, prot);
        return 0;
    }

    /**
     * mremap(2): {@code void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
     * ... void *new_address)}.
     */
    static long mremap(Task task, SyscallArgs args) {
        long oldAddr = args.pointer(0);
        long oldSize = args.sizeT(1);
        long newSize = args.sizeT(2);
        int flags = args.int32(3);
        long newAddr = args.pointer(4);
        return task.memory().remap(oldAddr, oldSize, newSize, flags, newAddr);
    }

    /** madvise(2): {@code int madvise(void *addr, size_t length, int advice)}; MADV_DONTNEED zeroes. */
    static long madvise(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        int advice = args.int32(2);
        if ((addr & (PAGE_SIZE - 1)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        AddressSpace mem = task.memory();
        switch (advice) {
            case MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTFORK, MADV_DOFORK,
                    MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP,
                    MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
                    MADV_POPULATE_WRITE, MADV_COLLAPSE -> {
                if (length != 0 && !mem.isMapped(addr, length)) {
                    throw ErrnoException.of(Errno.ENOMEM);
                }
            }
            case MADV_DONTNEED, MADV_FREE, MADV_DONTNEED_LOCKED, MADV_REMOVE -> {
                if (length == 0) {
                    return 0;
                }
                if (!mem.isMapped(addr, length)) {
                    throw ErrnoException.of(Errno.ENOMEM);
                }
                mem.discard(addr, length);
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        return 0;
    }

    /** msync(2): {@code int msync(void *addr, size_t length, int flags)}; writes shared file pages back. */
    static long msync(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        int flags = args.int32(2);
        if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || (addr & (PAGE_SIZE - 1)) != 0
                || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long len = AddressSpace.pageAlignUp(length);
        if (addr + len < addr) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        if (len == 0) {
            return 0;
        }
        task.memory().sync(addr, len);
        return 0;
    }

    /** mincore(2): {@code int mincore(void *addr, size_t length, unsigned char *vec)}. */
    static long mincore(Task task, SyscallArgs args) {
        long addr = args.pointer(0);
        long length = args.sizeT(1);
        long vec = args.pointer(2);
        if ((addr & (PAGE_SIZE - 1)) != 0) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        long len = AddressSpace.pageAlignUp(length);
        if (Long.compareUnsigned(addr + len, TASK_SIZE) > 0 || addr + len < addr) {
            throw ErrnoException.of(Errno.ENOMEM);
        }
        if (len == 0) {
            return 0;
        }
        AddressSpace mem = task.memory();
        for (long done = 0; done < len; done += 1L << 30) {
            long chunk = Math.min(len - done, 1L << 30);
            mem.write(vec + (done >>> PAGE_SHIFT), mem.residency(addr + done, chunk));
        }
        return 0;
    }
}

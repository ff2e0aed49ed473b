#!/usr/bin/env python3
"""One-off generator for the initial SyscallTable.java rows (kept for reference; the Java file
is the source of truth and is edited by hand from now on)."""
import re
nr = {}
for line in open('src/main/java/dev/linux4j/abi/Sysno.java'):
    m = re.match(r'\s+public static final int NR_(\w+) = (\d+);', line)
    if m and m.group(1) != 'syscalls':
        nr[m.group(1)] = int(m.group(2))

impl = {
 # name: (kind, handler, args, note)
 'read': ('ok', 'ReadWriteSyscalls::read', 'FD, BUF_OUT, ULONG'),
 'write': ('ok', 'ReadWriteSyscalls::write', 'FD, BUF_IN, ULONG'),
 'pread64': ('ok', 'ReadWriteSyscalls::pread64', 'FD, BUF_OUT, ULONG, LONG'),
 'pwrite64': ('ok', 'ReadWriteSyscalls::pwrite64', 'FD, BUF_IN, ULONG, LONG'),
 'readv': ('ok', 'ReadWriteSyscalls::readv', 'FD, PTR, INT'),
 'writev': ('ok', 'ReadWriteSyscalls::writev', 'FD, PTR, INT'),
 'lseek': ('ok', 'ReadWriteSyscalls::lseek', 'FD, LONG, WHENCE'),
 'open': ('ok', 'OpenSyscalls::open', 'PATH, OPEN_FLAGS, MODE'),
 'openat': ('ok', 'OpenSyscalls::openat', 'DIRFD, PATH, OPEN_FLAGS, MODE'),
 'creat': ('ok', 'OpenSyscalls::creat', 'PATH, MODE'),
 'close': ('ok', 'OpenSyscalls::close', 'FD'),
 'fstat': ('ok', 'OpenSyscalls::fstat', 'FD, PTR'),
 'stat': ('ok', 'OpenSyscalls::stat', 'PATH, PTR'),
 'lstat': ('ok', 'OpenSyscalls::lstat', 'PATH, PTR'),
 'newfstatat': ('ok', 'OpenSyscalls::newfstatat', 'DIRFD, PATH, PTR, AT_FLAGS'),
 'statx': ('ok', 'OpenSyscalls::statx', 'DIRFD, PATH, AT_FLAGS, STATX_MASK, PTR'),
 'brk': ('ptr', 'MmapSyscalls::brk', 'PTR'),
 'mmap': ('ptr', 'MmapSyscalls::mmap', 'PTR, ULONG, PROT, MMAP_FLAGS, FD, HEX'),
 'munmap': ('ok', 'MmapSyscalls::munmap', 'PTR, ULONG'),
 'mprotect': ('ok', 'MmapSyscalls::mprotect', 'PTR, ULONG, PROT'),
 'mremap': ('ptr', 'MmapSyscalls::mremap', 'PTR, ULONG, ULONG, MREMAP_FLAGS, PTR'),
 'madvise': ('ok', 'MmapSyscalls::madvise', 'PTR, ULONG, MADVISE'),
 'exit': ('ok', 'ProcessSyscalls::exit', 'INT'),
 'exit_group': ('ok', 'ProcessSyscalls::exitGroup', 'INT'),
 'getpid': ('ok', 'ProcessSyscalls::getpid', ''),
 'getppid': ('ok', 'ProcessSyscalls::getppid', ''),
 'gettid': ('ok', 'ProcessSyscalls::gettid', ''),
 'getuid': ('ok', 'ProcessSyscalls::getuid', ''),
 'geteuid': ('ok', 'ProcessSyscalls::geteuid', ''),
 'getgid': ('ok', 'ProcessSyscalls::getgid', ''),
 'getegid': ('ok', 'ProcessSyscalls::getegid', ''),
 'getgroups': ('ok', 'ProcessSyscalls::getgroups', 'INT, PTR'),
 'getresuid': ('ok', 'ProcessSyscalls::getresuid', 'PTR, PTR, PTR'),
 'getresgid': ('ok', 'ProcessSyscalls::getresgid', 'PTR, PTR, PTR'),
 'set_tid_address': ('ok', 'ProcessSyscalls::setTidAddress', 'PTR'),
 'set_robust_list': ('ok', 'ProcessSyscalls::setRobustList', 'PTR, ULONG'),
 'arch_prctl': ('ok', 'ProcessSyscalls::archPrctl', 'ARCH_PRCTL, PTR'),
 'uname': ('ok', 'ProcessSyscalls::uname', 'PTR'),
 'sysinfo': ('ok', 'ProcessSyscalls::sysinfo', 'PTR'),
 'prlimit64': ('ok', 'ProcessSyscalls::prlimit64', 'INT, RLIMIT, PTR, PTR'),
 'getrlimit': ('ok', 'ProcessSyscalls::getrlimit', 'RLIMIT, PTR'),
 'setrlimit': ('ok', 'ProcessSyscalls::setrlimit', 'RLIMIT, PTR'),
 'getrandom': ('ok', 'ProcessSyscalls::getrandom', 'PTR, ULONG, UINT'),
 'umask': ('ok', 'ProcessSyscalls::umask', 'MODE'),
 'sched_getaffinity': ('ok', 'ProcessSyscalls::schedGetaffinity', 'INT, ULONG, PTR'),
 'sched_yield': ('ok', 'ProcessSyscalls::schedYield', ''),
 'clock_gettime': ('ok', 'TimeSyscalls::clockGettime', 'CLOCK, PTR'),
 'clock_getres': ('ok', 'TimeSyscalls::clockGetres', 'CLOCK, PTR'),
 'gettimeofday': ('ok', 'TimeSyscalls::gettimeofday', 'PTR, PTR'),
 'time': ('ok', 'TimeSyscalls::time', 'PTR'),
 'nanosleep': ('partial', 'TimeSyscalls::nanosleep', 'PTR, PTR', 'not interrupted by signals yet; rem is not written'),
 'clock_nanosleep': ('partial', 'TimeSyscalls::clockNanosleep', 'CLOCK, INT, PTR, PTR', 'not interrupted by signals yet; remain is not written'),
 'rt_sigaction': ('partial', 'SignalSyscalls::rtSigaction', 'SIGNAL, PTR, PTR, ULONG', 'dispositions are recorded; delivery comes with processes'),
 'rt_sigprocmask': ('partial', 'SignalSyscalls::rtSigprocmask', 'SIGHOW, PTR, PTR, ULONG', 'the mask is recorded; delivery comes with processes'),
 'sigaltstack': ('partial', 'SignalSyscalls::sigaltstack', 'PTR, PTR', 'always reports SS_DISABLE; delivery comes with processes'),
}
planned = {
 'processes (fork, exec, wait, pipes, signals)': 'fork vfork clone execve execveat wait4 waitid kill tkill tgkill pipe pipe2 rt_sigreturn rt_sigpending rt_sigsuspend rt_sigtimedwait rt_sigqueueinfo rt_tgsigqueueinfo pause alarm setitimer getitimer setpgid getpgid getpgrp setsid getsid prctl poll ppoll select pselect6 signalfd signalfd4 pidfd_open pidfd_send_signal pidfd_getfd process_madvise process_mrelease'.split(),
 'threads (futexes, clone3)': 'futex futex_waitv get_robust_list clone3 set_mempolicy get_mempolicy sched_setaffinity sched_getscheduler sched_setscheduler sched_getparam sched_setparam sched_get_priority_max sched_get_priority_min sched_rr_get_interval getcpu futex_wake futex_wait futex_requeue sched_setattr sched_getattr membarrier'.split(),
 'file system work (dynamic linking, --root)': 'msync mincore chroot statfs fstatfs utimensat utime utimes futimesat chown fchown lchown fchownat flock mknod mknodat sync syncfs fdatasync sync_file_range fallocate readahead copy_file_range sendfile splice tee vmsplice name_to_handle_at open_by_handle_at getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_init fanotify_mark openat2 close_range preadv pwritev preadv2 pwritev2 memfd_create memfd_secret'.split(),
 'sockets and networking': 'socket socketpair bind listen accept accept4 connect getsockname getpeername sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg setsockopt getsockopt shutdown'.split(),
 'event and timer descriptors': 'epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2 eventfd eventfd2 timerfd_create timerfd_settime timerfd_gettime timer_create timer_settime timer_gettime timer_getoverrun timer_delete'.split(),
 'System V IPC and POSIX message queues': 'shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd msgrcv msgctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr'.split(),
 'identity changes': 'setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups capget capset'.split(),
 'asynchronous I/O': 'io_setup io_destroy io_getevents io_submit io_cancel io_pgetevents io_uring_setup io_uring_enter io_uring_register'.split(),
}
# Things a program in a sandbox may not do; Linux gives an unprivileged caller EPERM.
privileged = 'reboot kexec_load kexec_file_load init_module finit_module delete_module swapon swapoff mount umount2 pivot_root acct settimeofday clock_settime clock_adjtime adjtimex sethostname setdomainname iopl ioperm quotactl quotactl_fd vhangup syslog nfsservctl lookup_dcookie perf_event_open bpf fsopen fsconfig fsmount fspick move_mount open_tree mount_setattr unshare setns userfaultfd ptrace process_vm_readv process_vm_writev kcmp add_key request_key keyctl personality mlock munlock mlockall munlockall mlock2 mbind migrate_pages move_pages set_mempolicy_home_node landlock_create_ruleset landlock_add_rule landlock_restrict_self lsm_get_self_attr lsm_set_self_attr lsm_list_modules seccomp ioprio_set ioprio_get pkey_mprotect pkey_alloc pkey_free modify_ldt vserver create_module get_kernel_syms query_module getpmsg putpmsg afs_syscall tuxcall security uselib _sysctl ustat sysfs statmount listmount cachestat map_shadow_stack mseal rseq'.split()
removed = set('create_module get_kernel_syms query_module getpmsg putpmsg afs_syscall tuxcall security uselib _sysctl vserver nfsservctl lookup_dcookie'.split())
lines = []
for name, n in sorted(nr.items(), key=lambda x: x[1]):
    if name in impl:
        v = impl[name]
        args = v[2]
        a = (', ' + args) if args else ''
        if v[0] == 'ok':
            lines.append(f'        t.supported(NR_{name}, {v[1]}{a});')
        elif v[0] == 'ptr':
            lines.append(f'        t.supportedPointer(NR_{name}, {v[1]}{a});')
        else:
            lines.append(f'        t.partial(NR_{name}, "{v[3]}", {v[1]}{a});')
        continue
    if name in removed:
        lines.append(f'        t.unimplemented(NR_{name}, ENOSYS, "removed from Linux; always ENOSYS");')
        continue
    if name == 'rseq':
        lines.append(f'        t.unimplemented(NR_{name}, ENOSYS, "glibc works without restartable sequences");')
        continue
    for what, names in planned.items():
        if name in names:
            lines.append(f'        t.unimplemented(NR_{name}, ENOSYS, "not yet: {what}");')
            break
    else:
        if name in privileged:
            lines.append(f'        t.unimplemented(NR_{name}, ENOSYS, "not provided inside the sandbox");')
        else:
            lines.append(f'        t.unimplemented(NR_{name}, ENOSYS, "not yet");')
print('\n'.join(lines))

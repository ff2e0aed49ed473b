/* AF_NETLINK's NETLINK_ROUTE as programs use it to learn the network interfaces: if_nameindex,
 * getifaddrs (names, link-layer entries, addresses, netmasks, flags), if_indextoname and
 * if_nametoindex (SIOCGIFNAME, SIOCGIFINDEX on a socket), getnameinfo of a link-local address
 * (its scope as a name), and raw RTM_GETLINK and RTM_GETADDR dumps (sequence numbers and port
 * ids echoed, NLMSG_DONE last), with socket(2) and bind(2)'s errors. linux4j had no netlink:
 * if_nameindex failed with EAFNOSUPPORT (python3's socket.if_nameindex, test_socket). The
 * interfaces are the host's, so both runs see the same ones. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../errname.h"

/* linux/netlink.h and linux/rtnetlink.h, which musl's headers do not include */
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#define NETLINK_ROUTE 0
#define NLM_F_REQUEST 0x1
#define NLM_F_MULTI 0x2
#define NLM_F_DUMP 0x300
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22
struct sockaddr_nl { unsigned short nl_family, nl_pad; unsigned nl_pid, nl_groups; };
struct nlmsghdr { unsigned nlmsg_len; unsigned short nlmsg_type, nlmsg_flags; unsigned nlmsg_seq, nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct rtgenmsg { unsigned char rtgen_family; };
struct ifinfomsg { unsigned char ifi_family, pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; unsigned ifa_index; };
#define NLMSG_ALIGN(len) (((len) + 3) & ~3)
#define NLMSG_HDRLEN ((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_DATA(h) ((void *)((char *)(h) + NLMSG_HDRLEN))
#define NLMSG_OK(h, len) ((len) >= (long)sizeof(struct nlmsghdr) && (h)->nlmsg_len >= sizeof(struct nlmsghdr) && (h)->nlmsg_len <= (unsigned long)(len))
#define NLMSG_NEXT(h, len) ((len) -= NLMSG_ALIGN((h)->nlmsg_len), (struct nlmsghdr *)((char *)(h) + NLMSG_ALIGN((h)->nlmsg_len)))

#define T(call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%-60s -> %s\n", #call, errname(errno)); else printf("%-60s -> %ld\n", #call, r_); } while (0)

static void interfaces(void) {
    struct if_nameindex *ni = if_nameindex();
    if (!ni) {
        printf("if_nameindex: %s\n", errname(errno));
        return;
    }
    for (struct if_nameindex *p = ni; p->if_index; p++) {
        char name[IF_NAMESIZE];
        printf("interface %u %s: if_indextoname %s, if_nametoindex %u\n", p->if_index, p->if_name,
               if_indextoname(p->if_index, name) ? name : errname(errno), if_nametoindex(p->if_name));
    }
    if_freenameindex(ni);
    char name[IF_NAMESIZE];
    printf("if_indextoname(99999): %s\n", if_indextoname(99999, name) ? name : errname(errno));
    printf("if_nametoindex(\"nosuch0\"): %u\n", if_nametoindex("nosuch0"));

    struct ifaddrs *ifa;
    if (getifaddrs(&ifa) < 0) {
        printf("getifaddrs: %s\n", errname(errno));
        return;
    }
    for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
        char a[80] = "-", m[80] = "-";
        int fam = p->ifa_addr ? p->ifa_addr->sa_family : -1;
        if (fam == AF_INET || fam == AF_INET6) {
            socklen_t len = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
            getnameinfo(p->ifa_addr, len, a, sizeof a, NULL, 0, NI_NUMERICHOST);
            if (p->ifa_netmask) getnameinfo(p->ifa_netmask, len, m, sizeof m, NULL, 0, NI_NUMERICHOST);
        } else if (fam == AF_PACKET) {
            struct sockaddr_ll *l = (struct sockaddr_ll *)p->ifa_addr;
            snprintf(a, sizeof a, "link ifindex %d, %d-byte address", l->sll_ifindex, l->sll_halen);
        }
        printf("%s: family %d flags %#x address %s netmask %s\n", p->ifa_name, fam, p->ifa_flags, a, m);
    }
    freeifaddrs(ifa);
}

/* Sends a dump request and reads the answer: the messages' types, and the interface indices. */
static void dump(int fd, int type, unsigned seq) {
    struct {
        struct nlmsghdr h;
        struct rtgenmsg g;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = type;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = seq;
    req.g.rtgen_family = AF_UNSPEC;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    printf("dump %d: sendto -> %ld\n", type, (long)sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel));
    unsigned me = 0;
    struct sockaddr_nl self;
    socklen_t sl = sizeof self;
    getsockname(fd, (struct sockaddr *)&self, &sl);
    me = self.nl_pid;
    char buf[32768];
    int done = 0, messages = 0, bad = 0;
    while (!done) {
        struct sockaddr_nl from;
        socklen_t fl = sizeof from;
        long n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n <= 0) {
            printf("  recvfrom -> %s\n", n < 0 ? errname(errno) : "0");
            return;
        }
        if (fl != sizeof from || from.nl_family != AF_NETLINK || from.nl_pid != 0) bad++;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq || h->nlmsg_pid != me) bad++;
            if (h->nlmsg_type == NLMSG_DONE) {
                done = 1;
                break;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                printf("  error %d\n", ((struct nlmsgerr *)NLMSG_DATA(h))->error);
                return;
            }
            if (!(h->nlmsg_flags & NLM_F_MULTI)) bad++;
            messages++;
            if (h->nlmsg_type == RTM_NEWLINK) {
                struct ifinfomsg *i = NLMSG_DATA(h);
                printf("  RTM_NEWLINK index %d flags %#x type %d\n", i->ifi_index, i->ifi_flags, i->ifi_type);
            } else if (h->nlmsg_type == RTM_NEWADDR) {
                struct ifaddrmsg *i = NLMSG_DATA(h);
                printf("  RTM_NEWADDR family %d prefix %d scope %d index %u\n", i->ifa_family, i->ifa_prefixlen,
                       i->ifa_scope, i->ifa_index);
            }
        }
    }
    printf("  %d messages, %d with the wrong sender, sequence or port id\n", messages, bad);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    interfaces();

    T(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
    T(socket(AF_NETLINK, SOCK_RAW, 40));
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl a = {.nl_family = AF_NETLINK};
    T(bind(fd, (struct sockaddr *)&a, 4));
    struct sockaddr_nl wrong = {.nl_family = AF_INET};
    T(bind(fd, (struct sockaddr *)&wrong, sizeof wrong));
    struct sockaddr_nl name;
    socklen_t nl = sizeof name;
    T(getsockname(fd, (struct sockaddr *)&name, &nl));
    printf("unbound: len %u family %d pid %u\n", nl, name.nl_family, name.nl_pid);
    T(bind(fd, (struct sockaddr *)&a, sizeof a));
    nl = sizeof name;
    getsockname(fd, (struct sockaddr *)&name, &nl);
    printf("bound: len %u family %d port id is the pid %d groups %u\n", nl, name.nl_family,
           name.nl_pid == (unsigned)getpid(), name.nl_groups);
    int second = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    T(bind(second, (struct sockaddr *)&a, sizeof a));
    nl = sizeof name;
    getsockname(second, (struct sockaddr *)&name, &nl);
    printf("second: port id is the pid %d, negative %d\n", name.nl_pid == (unsigned)getpid(), (int)name.nl_pid < 0);
    dump(fd, RTM_GETLINK, 7);
    dump(fd, RTM_GETADDR, 8);
    dump(second, RTM_GETLINK, 9);
    char c;
    T(recv(fd, &c, 1, MSG_DONTWAIT));
    close(second);
    close(fd);
    return 0;
}

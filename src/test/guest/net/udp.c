/* UDP over 127.0.0.1: sendto and recvfrom with addresses, message boundaries, MSG_PEEK,
 * MSG_TRUNC (the whole length returned, msg_flags), FIONREAD (the next datagram's length), empty
 * datagrams, sendmsg/recvmsg with several buffers, connect() as a default peer (EDESTADDRREQ
 * before, AF_UNSPEC to dissolve it), a connected socket's ECONNREFUSED from a closed port,
 * poll's events, and sendto's address errors. */
#include "inet.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

static void from_is(const char *what, struct sockaddr_in *from, socklen_t len, int port) {
    show(what, from, len);
    printf("  from the sender's port: %d\n", ntohs(from->sin_port) == port);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[256];
    int r = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = in4("127.0.0.1", 0);
    T(bind(r, (struct sockaddr *)&a, sizeof a));
    int rport = port_of(r);
    struct sockaddr_in to = in4("127.0.0.1", rport);

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    T(sendto(s, "one", 3, 0, (struct sockaddr *)&to, sizeof to));
    int sport = port_of(s);
    printf("autobound port>0 %d\n", sport > 0);
    struct sockaddr_in me;
    socklen_t len = sizeof me;
    getsockname(s, (struct sockaddr *)&me, &len);
    show("sender getsockname", &me, len);
    T(sendto(s, "second", 6, 0, (struct sockaddr *)&to, sizeof to));
    T(sendto(s, "", 0, 0, (struct sockaddr *)&to, sizeof to));
    T(sendto(s, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof to));
    T(sendto(s, "fifth", 5, 0, (struct sockaddr *)&to, sizeof to));
    usleep(20000);
    events("receiver with datagrams", r);
    int avail = -1;
    T(ioctl(r, FIONREAD, &avail));
    printf("FIONREAD %d\n", avail);

    struct sockaddr_in from;
    len = sizeof from;
    long n = recvfrom(r, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&from, &len);
    got("recvfrom peek", n, buf);
    from_is("peek from", &from, len, sport);
    len = sizeof from;
    n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    got("recvfrom", n, buf);
    from_is("from", &from, len, sport);
    n = recv(r, buf, 3, 0);
    got("recv 3 of 6 (rest dropped)", n, buf);
    T(ioctl(r, FIONREAD, &avail));
    printf("FIONREAD before an empty datagram %d\n", avail);
    n = recv(r, buf, sizeof buf, 0);
    got("recv empty datagram", n, buf);
    n = recv(r, buf, 4, MSG_TRUNC);
    got("recv 4 with MSG_TRUNC", n, buf);
    char p1[2], p2[2];
    struct iovec iov[2] = {{p1, 2}, {p2, 2}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    mh.msg_name = &from;
    mh.msg_namelen = 8; /* too short: cut, the whole length returned */
    n = recvmsg(r, &mh, 0);
    printf("recvmsg %ld \"%.2s%.2s\" namelen %u flags %#x\n", n, p1, p2, (unsigned)mh.msg_namelen, mh.msg_flags);
    T(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    T(ioctl(r, FIONREAD, &avail));
    printf("FIONREAD empty %d\n", avail);
    events("receiver empty", r);

    /* sendmsg with several buffers is one datagram */
    struct iovec siov[3] = {{"ga", 2}, {"th", 2}, {"er", 2}};
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = siov;
    mh.msg_iovlen = 3;
    mh.msg_name = &to;
    mh.msg_namelen = sizeof to;
    T(sendmsg(s, &mh, 0));
    n = recv(r, buf, sizeof buf, 0);
    got("recv gathered", n, buf);

    /* a default peer */
    T(send(s, "x", 1, 0));
    T(write(s, "x", 1));
    T(connect(s, (struct sockaddr *)&to, sizeof to));
    struct sockaddr_in peer;
    len = sizeof peer;
    T(getpeername(s, (struct sockaddr *)&peer, &len));
    show("connected peer", &peer, len);
    T(send(s, "via send", 8, 0));
    T(write(s, "via write", 9));
    n = recv(r, buf, sizeof buf, 0);
    got("recv", n, buf);
    n = read(r, buf, sizeof buf);
    got("read", n, buf);
    /* the receiver connects to the sender and answers */
    struct sockaddr_in back = in4("127.0.0.1", sport);
    T(connect(r, (struct sockaddr *)&back, sizeof back));
    T(send(r, "answer", 6, 0));
    n = recv(s, buf, sizeof buf, 0);
    got("sender recv", n, buf);
    /* a third socket's datagram does not reach a socket connected elsewhere */
    int o = socket(AF_INET, SOCK_DGRAM, 0);
    T(sendto(o, "stranger", 8, 0, (struct sockaddr *)&to, sizeof to));
    T(sendto(s, "friend", 6, 0, (struct sockaddr *)&to, sizeof to));
    n = recv(r, buf, sizeof buf, 0);
    got("connected receiver recv", n, buf);
    T(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    T(connect(s, &unspec, sizeof unspec));
    len = sizeof peer;
    T(getpeername(s, (struct sockaddr *)&peer, &len));
    T(send(s, "x", 1, 0));
    /* dissolving unbinds a port the kernel chose (bind to port 0): the socket can be bound again */
    T(connect(r, &unspec, sizeof unspec));
    len = sizeof me;
    getsockname(r, (struct sockaddr *)&me, &len);
    show("getsockname after AF_UNSPEC", &me, len);
    T(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    T(bind(r, (struct sockaddr *)&to, sizeof to));
    T(sendto(o, "stranger again", 14, 0, (struct sockaddr *)&to, sizeof to));
    n = recv(r, buf, sizeof buf, 0);
    got("recv after binding again", n, buf);
    close(o);

    /* a connected socket hears of the closed port (ICMP port unreachable) */
    int closed = free_port(AF_INET);
    struct sockaddr_in nowhere = in4("127.0.0.1", closed);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    T(connect(c, (struct sockaddr *)&nowhere, sizeof nowhere));
    T(send(c, "anyone?", 7, 0));
    T(recv(c, buf, sizeof buf, 0));
    T(recv(c, buf, sizeof buf, MSG_DONTWAIT));
    T(send(c, "anyone?", 7, 0));
    usleep(20000);
    int err = -1;
    len = sizeof err;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("SO_ERROR %s\n", err ? nerr(err) : "0");
    T(send(c, "anyone?", 7, 0));
    close(c);

    /* sendto's address errors */
    T(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof to - 1));
    struct sockaddr_in bad = to;
    bad.sin_family = AF_INET6;
    T(sendto(s, "x", 1, 0, (struct sockaddr *)&bad, sizeof bad));
    bad = to;
    bad.sin_port = 0;
    T(sendto(s, "x", 1, 0, (struct sockaddr *)&bad, sizeof bad));
    bad = to;
    bad.sin_family = AF_UNSPEC;
    T(sendto(s, "unspec", 6, 0, (struct sockaddr *)&bad, sizeof bad));
    n = recv(r, buf, sizeof buf, 0);
    got("recv", n, buf);
    char *huge = calloc(1, 70000);
    T(sendto(s, huge, 65508, 0, (struct sockaddr *)&to, sizeof to));
    T(sendto(s, huge, 65507, 0, (struct sockaddr *)&to, sizeof to));
    n = recv(r, huge, 70000, 0);
    printf("recv largest -> %ld\n", n);
    free(huge);
    T(send(s, "x", 1, MSG_OOB));
    T(shutdown(s, SHUT_WR));
    /* EPIPE without SIGPIPE: only stream sockets raise it (the default action would kill us) */
    T(sendto(s, "after shutdown", 14, 0, (struct sockaddr *)&to, sizeof to));
    T(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    close(s);
    close(r);
    return 0;
}

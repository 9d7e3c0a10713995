/*
 * An open-loop HTTP load at a fixed rate, as cheap as wrk (which only runs closed-loop): request i
 * is due at start + i/rate and its latency counts from then, not from when a connection was free,
 * so a stall shows in the figures instead of slowing the load (what wrk2 does; it is not in Debian).
 * One request at a time per keep-alive connection, epoll, one thread, asleep between due times.
 *
 *   pacer HOST PORT PATH RATE SECONDS WARMUP_SECONDS CONNECTIONS BODY_FILE [HEADER ...]
 *
 * Requests due in the first WARMUP_SECONDS are sent and counted but not in the latency. Prints:
 *   pacer rate=.. sent=.. answered=.. accepted=.. refused=.. errors=.. late_starts=..
 *         p50_ms=.. p90_ms=.. p99_ms=.. p999_ms=.. max_ms=..
 * (accepted: 2xx answers; late_starts: requests that waited for a free connection past their due time).
 * With PACER_TRACE=FILE set, each counted request also goes to FILE as a line "due_s latency_ms"
 * (due_s from the start of the load, whose wall-clock time is on its first line, "# start_epoch_s
 * ..."), to see whether the tail comes in bursts and line them up with warren's logs.
 * Built by bench/lib.sh with the machine's cc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    int busy;
    double due;          /* when its request was due (s) */
    char buf[65536];
    size_t have;
} conn;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int dial(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("connect");
        exit(2);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* a whole response in buf: its length, or 0 while it is still coming (Content-Length or chunked) */
static size_t complete(const char *buf, size_t have, int *status) {
    const char *end = memmem(buf, have, "\r\n\r\n", 4);
    if (end == NULL) {
        return 0;
    }
    size_t head = end - buf + 4;
    const char *cl = NULL;
    for (const char *p = buf; p < end; p++) {
        if ((p == buf || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
            cl = p + 15;
            break;
        }
    }
    if (cl == NULL) {
        /* chunked (Camel's answers): whole once the last chunk, "0" and an empty line, came; one
         * request at a time per connection, so it ends the buffer */
        if (have >= head + 5 && memcmp(buf + have - 5, "0\r\n\r\n", 5) == 0
                && (have == head + 5 || buf[have - 6] == '\n')) {
            *status = atoi(buf + 9);
            return have;
        }
        return 0;
    }
    size_t body = strtoul(cl, NULL, 10);
    if (have < head + body) {
        return 0;
    }
    *status = atoi(buf + 9);
    return head + body;
}

int main(int argc, char **argv) {
    if (argc < 9) {
        fprintf(stderr, "usage: pacer HOST PORT PATH RATE SECONDS WARMUP_SECONDS CONNECTIONS BODY_FILE [HEADER ...]\n");
        return 2;
    }
    const char *host = argv[1], *path = argv[3];
    int port = atoi(argv[2]), nconn = atoi(argv[7]);
    double rate = atof(argv[4]), seconds = atof(argv[5]), warmup = atof(argv[6]);
    FILE *f = fopen(argv[8], "rb");
    if (f == NULL) {
        perror(argv[8]);
        return 2;
    }
    static char body[1 << 20];
    size_t body_len = fread(body, 1, sizeof body, f);
    fclose(f);
    static char request[1 << 21];
    int len = snprintf(request, sizeof request, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n", path, host, port);
    for (int i = 9; i < argc; i++) {
        len += snprintf(request + len, sizeof request - len, "%s\r\n", argv[i]);
    }
    len += snprintf(request + len, sizeof request - len, "Content-Length: %zu\r\n\r\n", body_len);
    memcpy(request + len, body, body_len);
    len += body_len;

    long total = (long)(rate * (seconds + warmup));
    double *latency = calloc(total, sizeof(double));
    double *due_at = calloc(total, sizeof(double));
    long measured = 0, sent = 0, answered = 0, accepted = 0, refused = 0, errors = 0, late = 0;
    conn *conns = calloc(nconn, sizeof(conn));
    int ep = epoll_create1(0);
    for (int i = 0; i < nconn; i++) {
        conns[i].fd = dial(host, port);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
    }
    /* the trace's file opened before the load: a bad path fails at once, not after the run */
    const char *trace = getenv("PACER_TRACE");
    FILE *trace_out = NULL;
    if (trace != NULL && *trace) {
        trace_out = fopen(trace, "w");
        if (trace_out == NULL) {
            perror(trace);
            return 2;
        }
    }
    double start = now() + 0.1;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    double start_epoch = wall.tv_sec + wall.tv_nsec / 1e9 + 0.1;
    struct epoll_event events[256];
    while (answered + errors < total) {
        double t = now();
        /* send what is due on free connections, oldest due first */
        for (int i = 0; i < nconn && sent < total; i++) {
            double due = start + sent / rate;
            if (due > t) {
                break;
            }
            if (conns[i].busy) {
                continue;
            }
            if (t - due > 0.001) {
                late++;
            }
            ssize_t w = write(conns[i].fd, request, len);
            if (w != len) {
                errors++; /* a short write on a fresh request: count it and go on with the next */
                sent++;
                continue;
            }
            conns[i].busy = 1;
            conns[i].due = due;
            conns[i].have = 0;
            sent++;
        }
        /* sleep until the next request is due, to the nanosecond, or for an answer when one is due
         * and every connection is busy (at most 10 ms): a timeout in whole milliseconds is 0 whenever
         * the next one is due within 1 ms, so above 1,000 requests/s the loop spun and took more than
         * half a core of this 2-core machine from what it measured */
        double next_due = sent < total ? start + sent / rate : t + 0.01;
        double wait = next_due > t && next_due - t < 0.01 ? next_due - t : 0.01;
        struct timespec timeout = {.tv_sec = 0, .tv_nsec = (long)(wait * 1e9)};
        int n = epoll_pwait2(ep, events, 256, &timeout, NULL);
        if (n < 0) {
            if (errno != EINTR) {
                perror("pacer: epoll_pwait2");
                return 2;
            }
            n = 0;
        }
        for (int k = 0; k < n; k++) {
            conn *c = &conns[events[k].data.u32];
            ssize_t r = read(c->fd, c->buf + c->have, sizeof c->buf - c->have);
            if (r <= 0) {
                if (r < 0 && errno == EAGAIN) {
                    continue;
                }
                fprintf(stderr, "pacer: connection closed by the server\n");
                return 2;
            }
            c->have += r;
            int status = 0;
            size_t used = complete(c->buf, c->have, &status);
            if (used == 0) {
                continue;
            }
            double done = now();
            answered++;
            if (status >= 200 && status < 300) {
                accepted++;
            } else {
                refused++;
            }
            if (c->due - start >= warmup) {
                due_at[measured] = c->due - start;
                latency[measured++] = done - c->due;
            }
            c->busy = 0;
        }
    }
    double elapsed = now() - start;
    if (trace_out != NULL) {
        fprintf(trace_out, "# start_epoch_s %.6f\n", start_epoch);
        for (long i = 0; i < measured; i++) {
            fprintf(trace_out, "%.6f %.3f\n", due_at[i], latency[i] * 1000);
        }
        if (fclose(trace_out) != 0) {
            perror("pacer: the trace");
        }
    }
    qsort(latency, measured, sizeof(double), cmp);
#define PCT(p) (measured ? latency[(long)((measured - 1) * (p))] * 1000 : 0)
    printf("pacer rate=%.0f sent=%ld answered=%ld accepted=%ld refused=%ld errors=%ld late_starts=%ld achieved_per_s=%.0f "
           "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f p999_ms=%.1f max_ms=%.1f\n",
           rate, sent, answered, accepted, refused, errors, late, answered / elapsed,
           PCT(0.50), PCT(0.90), PCT(0.99), PCT(0.999), PCT(1.0));
    return refused + errors > 0;
}

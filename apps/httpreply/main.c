/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpreply: an HTTP/1.1 server on lwIP (lib/lwip) for tests and
 * benchmarks. GET / answers a fixed 51-byte page (the size of the Linux
 * reference guest's nginx page); GET /bytes/N answers N bytes (a
 * repeating "0123456789abcdef" pattern, so a client can check them);
 * anything else 404. Keep-alive unless the client asks to close
 * (HTTP/1.0 without "Connection: keep-alive", or "Connection: close").
 *
 * Threads: uk_lwip_serve() (uk/lwip_server.h): main accepts, each
 * connection gets a thread on the CPU whose queue receives its segments
 * (flow affinity), or round-robin with affinity=0.
 *
 * Arguments: netdev.ip=... (uk/lwip.h), port=<80>, affinity=<1|0>,
 * stats=<seconds between uk_lwip_stats_print() lines, 0: only at exit>,
 * exit-after=<connections, 0: never> (tests: then main returns 0),
 * quit=1 (tests: GET /quit prints the statistics and powers off with 0,
 * GET /stats prints them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <uk/lwip.h>
#include <uk/lwip_server.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/thread.h>

#define REQ_MAX		4096
#define CHUNK		16384

static const char page[] =
	"<html><body><p>httpreply on lwIP</p></body></html>\n";
static unsigned int port = 80, affinity = 1, stats_every, quit;
static unsigned long exit_after;

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, 0);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_bytes(int fd, unsigned long n)
{
	static const char pat[] = "0123456789abcdef";
	char buf[CHUNK];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = pat[i % 16];
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		if (send_all(fd, buf, k))
			return -1;
		n -= k;
	}
	return 0;
}

/* Case-insensitive: whether header line h (up to end) is name: value. */
static int header_is(const char *h, const char *end, const char *name,
		     const char *value)
{
	size_t n = strlen(name), v = strlen(value);

	if ((size_t)(end - h) < n + 1 + v || strncasecmp(h, name, n)
	    || h[n] != ':')
		return 0;
	h += n + 1;
	while (h < end && *h == ' ')
		h++;
	return (size_t)(end - h) >= v && !strncasecmp(h, value, v);
}

/*
 * Answers the request in req[0..len) (complete: ends with CRLFCRLF).
 * Returns 1 to keep the connection, 0 to close it, -1 on a send error.
 */
static int answer(int fd, char *req, size_t len)
{
	char head[256];
	char *line, *end = req + len, *eol;
	int keep, n, status = 200;
	unsigned long body = sizeof(page) - 1;
	const char *path;

	eol = strstr(req, "\r\n");
	if (strncmp(req, "GET ", 4) || !eol)
		status = 400;
	path = req + 4;
	keep = eol && eol - req >= 8 && !strncmp(eol - 8, "HTTP/1.1", 8);
	for (line = eol ? eol + 2 : end; line < end; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (!eol || eol == line)
			break;
		if (header_is(line, eol, "Connection", "close"))
			keep = 0;
		else if (header_is(line, eol, "Connection", "keep-alive"))
			keep = 1;
	}
	if (quit && !strncmp(path, "/quit ", 6)) {
		send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 38);
		uk_lwip_stats_print();
		printf("httpreply: quit\n");
		ukplat_exit(0);
	}
	if (quit && !strncmp(path, "/stats ", 7)) {
		printf("httpreply: stats\n");
		uk_lwip_stats_print();
		status = 204;
	}
	if (status == 200 && !strncmp(path, "/bytes/", 7))
		body = strtoul(path + 7, NULL, 10);
	else if (status == 200 && strncmp(path, "/ ", 2))
		status = 404;
	if (status != 200)
		body = 0;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nServer: httpreply\r\n"
		     "Content-Type: %s\r\nContent-Length: %lu\r\n"
		     "Connection: %s\r\n\r\n", status,
		     status == 200 ? "OK" : status == 204 ? "No Content"
		     : status == 404 ? "Not Found" : "Bad Request",
		     strncmp(path, "/bytes/", 7) ? "text/html"
		     : "application/octet-stream", body,
		     keep ? "keep-alive" : "close");
	if (send_all(fd, head, (size_t)n))
		return -1;
	if (status == 200 && strncmp(path, "/bytes/", 7)) {
		if (send_all(fd, page, body))
			return -1;
	} else if (body && send_bytes(fd, body)) {
		return -1;
	}
	return keep && status != 400;
}

/* One connection: requests answered in order until one says close. */
static void serve(int fd, void *arg __unused)
{
	char req[REQ_MAX + 1];
	size_t have = 0;
	int keep = 1;

	while (keep > 0) {
		char *end;
		ssize_t r;

		req[have] = '\0';
		end = strstr(req, "\r\n\r\n");
		if (end) {
			size_t used = (size_t)(end + 4 - req);

			end[2] = '\0';	/* the request without its last CRLF */
			keep = answer(fd, req, used - 2);
			memmove(req, req + used, have - used);
			have -= used;
			continue;
		}
		if (have == REQ_MAX)
			break;	/* too long: not a request we answer */
		r = recv(fd, req + have, REQ_MAX - have, 0);
		if (r <= 0)
			break;
		have += (size_t)r;
	}
}

static void args(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *v = strchr(argv[i], '=');

		if (!v)
			continue;
		v++;
		if (!strncmp(argv[i], "port=", 5))
			port = (unsigned int)strtoul(v, NULL, 10);
		else if (!strncmp(argv[i], "affinity=", 9))
			affinity = (unsigned int)strtoul(v, NULL, 10);
		else if (!strncmp(argv[i], "stats=", 6))
			stats_every = (unsigned int)strtoul(v, NULL, 10);
		else if (!strncmp(argv[i], "quit=", 5))
			quit = (unsigned int)strtoul(v, NULL, 10);
		else if (!strncmp(argv[i], "exit-after=", 11))
			exit_after = strtoul(v, NULL, 10);
	}
}

/* Stats lines every stats_every seconds while main waits in accept(). */
static void stats_loop(void *arg __unused)
{
	for (;;) {
		uk_sched_thread_sleep(stats_every * 1000000000ULL);
		uk_lwip_stats_print();
	}
}

int main(int argc, char *argv[])
{
	struct uk_lwip_server srv = { .serve = serve };
	int r;

	args(argc, argv);
	if (uk_lwip_up(argc, argv) <= 0) {
		printf("httpreply: no interface has an address\n");
		return 1;
	}
	if (stats_every && !uk_sched_thread_create_on(UK_SCHED_CPU_ANY,
						      stats_loop, NULL,
						      "stats")) {
		printf("httpreply: cannot start the stats thread\n");
		return 1;
	}
	srv.port = port;
	srv.affinity = (int)affinity;
	srv.max_conns = exit_after;
	printf("httpreply: listening on port %u, %u CPUs, affinity %s\n",
	       port, ukplat_lcpu_count(), affinity ? "on" : "off");
	r = uk_lwip_serve(&srv);
	if (r) {
		printf("httpreply: cannot serve on port %u: %d\n", port, r);
		return 1;
	}
	uk_lwip_stats_print();
	printf("httpreply: served %lu connections\n", exit_after);
	return 0;
}

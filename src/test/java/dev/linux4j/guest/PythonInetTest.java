package dev.linux4j.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's dynamic python3 on AF_INET and AF_INET6 sockets under linux4j: an http.server
 * (ThreadingHTTPServer on 127.0.0.1, port 0) in a thread answering urllib GETs and a POST and a
 * raw HTTP/1.0 request read in small pieces; a socketserver UDP server; asyncio's streams over
 * ::1 (non-blocking connect through epoll, IPV6_V6ONLY on the listener) and a refused connect.
 * Output must match the native run.
 */
class PythonInetTest {
    private static final String SCRIPT = """
            import asyncio, http.server, socket, socketserver, threading, urllib.request

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = ('hello ' + self.path).encode()
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_POST(self):
                    data = self.rfile.read(int(self.headers['Content-Length']))
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[::-1])
                def log_message(self, *args):
                    pass

            srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
            port = srv.server_address[1]
            threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.05}).start()
            print('port>0', port > 0)
            for path in ['/a', '/b?x=1']:
                with urllib.request.urlopen(f'http://127.0.0.1:{port}{path}', timeout=30) as r:
                    print(r.status, r.read().decode())
            req = urllib.request.Request(f'http://127.0.0.1:{port}/p', data=bytes(range(256)) * 400, method='POST')
            with urllib.request.urlopen(req, timeout=30) as r:
                d = r.read()
                print('post echoed', len(d), d[:4])
            s = socket.create_connection(('127.0.0.1', port))
            s.sendall(b'GET /raw HTTP/1.0\\r\\n\\r\\n')
            data = b''
            while chunk := s.recv(7):
                data += chunk
            print(data.split(b'\\r\\n')[0], data.endswith(b'hello /raw'))
            s.close()

            class Upper(socketserver.BaseRequestHandler):
                def handle(self):
                    data, sock = self.request
                    sock.sendto(data.upper(), self.client_address)

            us = socketserver.ThreadingUDPServer(('127.0.0.1', 0), Upper)
            threading.Thread(target=us.serve_forever, kwargs={'poll_interval': 0.05}).start()
            c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            c.settimeout(30)
            c.sendto(b'ping', us.server_address)
            data, addr = c.recvfrom(100)
            print(data, addr == us.server_address)
            c.close()

            async def main():
                async def handle(reader, writer):
                    line = await reader.readline()
                    writer.write(line.upper())
                    await writer.drain()
                    writer.close()
                server = await asyncio.start_server(handle, '::1', 0)
                port6 = server.sockets[0].getsockname()[1]
                reader, writer = await asyncio.open_connection('::1', port6)
                writer.write(b'async six\\n')
                await writer.drain()
                print(await reader.readline(), await reader.read())
                writer.close()
                await writer.wait_closed()
                server.close()
                await server.wait_closed()
                try:
                    await asyncio.open_connection('127.0.0.1', port6)
                except ConnectionRefusedError as e:
                    print('refused', e.errno)

            asyncio.run(main())
            srv.shutdown()
            us.shutdown()
            srv.server_close()
            us.server_close()
            print('done')
            """;

    @ParameterizedTest
    @EnumSource(GuestRun.Mode.class)
    void httpServerUdpServerAndAsyncioStreams(GuestRun.Mode mode) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        GuestRun.of("/usr/bin/python3", "-c", SCRIPT).timeout(180).assertSame(mode);
    }
}

// The raw limit hoistd is compared with: the same HTTP library, the same request
// shapes (init → chunk PUTs → complete, so upload_driver drives both unchanged) and
// the same disk, but nothing else. Each chunk body is streamed with a ContentReader
// into the upload's file at its offset: no auth, no session store, no hashing, no
// fsync. Whatever hoistd spends beyond this is the price of its guarantees.
// With --fsync each chunk is also fdatasync'ed before its 200, as docs/protocol.md demands
// of hoistd: the gap between the two sinks is what durability alone costs on this disk.
//
//   raw_sink --dir DIR [--fsync]     prints "listening on http://127.0.0.1:PORT" when ready

#include <httplib.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <unistd.h>

namespace {

bool writeAt(int fd, const char* data, std::size_t size, off_t& offset) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<std::size_t>(n);
        offset += n;
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    const bool durable = argc == 4 && std::string(argv[3]) == "--fsync";
    if ((argc != 3 && !durable) || std::string(argv[1]) != "--dir") {
        std::cerr << "usage: raw_sink --dir DIR [--fsync]\n";
        return 2;
    }
    const std::string dir = argv[2];
    std::atomic<int> nextUpload{0};

    httplib::Server server;
    // The same socket settings hoistd uses (server/http_server.cpp), so only the work
    // behind them differs.
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100000);
    server.set_payload_max_length(64 * 1024 * 1024);

    server.Post("/upload/init", [&](const httplib::Request&, httplib::Response& res) {
        res.status = 201;
        res.set_content(R"({"sessionId":")" + std::to_string(nextUpload++) +
                            R"(","uploadedBytes":0,"chunkSize":8388608})",
                        "application/json");
    });
    server.Put("/upload/([0-9]+)", [&](const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& reader) {
        off_t offset = std::atoll(req.get_header_value("X-Upload-Offset").c_str());
        const std::string path = dir + "/" + req.matches[1].str();
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        bool ok = fd >= 0 && reader([&](const char* data, std::size_t size) {
                      return writeAt(fd, data, size, offset);
                  });
        if (ok && durable)
            ok = ::fdatasync(fd) == 0;
        if (fd >= 0)
            ok = ::close(fd) == 0 && ok;
        res.status = ok ? 200 : 500;
        res.set_content(R"({"uploadedBytes":)" + std::to_string(offset) + "}", "application/json");
    });
    server.Post("/upload/([0-9]+)/complete", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"state":"completed"})", "application/json");
    });

    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::cerr << "raw_sink: cannot listen on 127.0.0.1\n";
        return 1;
    }
    std::cout << "listening on http://127.0.0.1:" << port << std::endl;
    return server.listen_after_bind() ? 0 : 1;
}

// Drives the Hoist upload protocol (init → sequential chunk PUTs → complete) against
// hoistd or the raw sink, and prints one JSON line with the timing. It never hashes:
// the client engine's hashing has its own benchmark, and here only the server's cost
// may show. The file is mapped once and every chunk written to the socket straight
// from the mapping: with a buffer per upload and httplib's copy of each body into a
// string, the driver used 3x hoistd's CPU with 200 uploads (8.9 against 2.7 s per GiB,
// fresh pages for every chunk: bench/README.md, issue #13) and measured itself.
//
//   upload_driver --url http://127.0.0.1:PORT --token TOKEN --file FILE [--parallel N]
//
// --parallel N runs N uploads of the same file at once (one thread and one keep-alive
// connection each), started together; the figure is their aggregate throughput.

#include <atomic>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace {

struct Options {
    std::string host;
    int port = 0;
    std::string token;
    std::string file;
    int parallel = 1;
};

std::optional<Options> parseOptions(int argc, char** argv) {
    Options options;
    std::string url;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--url")
            url = value;
        else if (key == "--token")
            options.token = value;
        else if (key == "--file")
            options.file = value;
        else if (key == "--parallel")
            options.parallel = std::stoi(value);
        else
            return std::nullopt;
    }
    const std::string scheme = "http://";
    const auto colon = url.rfind(':');
    if (url.rfind(scheme, 0) != 0 || colon == std::string::npos || colon < scheme.size() ||
        options.file.empty() || options.parallel < 1)
        return std::nullopt;
    options.host = url.substr(scheme.size(), colon - scheme.size());
    options.port = std::stoi(url.substr(colon + 1));
    return options;
}

std::string describe(const httplib::Result& result, const char* step) {
    if (!result)
        return std::string(step) + ": " + httplib::to_string(result.error());
    return std::string(step) + ": HTTP " + std::to_string(result->status) + " " + result->body;
}

// A request that never reached the server (its write failed, or the connection did)
// is sent once more on a fresh connection, as browsers and Qt do: a keep-alive
// connection the server closed as idle (hoistd: after --header-timeout, 10 s) races
// the client's next request. Each retry is counted.
template <typename Send> httplib::Result sendRetrying(Send send, std::atomic<int>& retries) {
    auto result = send();
    if (!result &&
        (result.error() == httplib::Error::Write || result.error() == httplib::Error::Connection)) {
        ++retries;
        result = send();
    }
    return result;
}

// One whole upload; an error message, or nothing on success.
std::optional<std::string> upload(const Options& options, const char* file, std::int64_t size,
                                  std::atomic<int>& retries) {
    httplib::Client client(options.host, options.port);
    client.set_keep_alive(true);
    // Without NODELAY each small request after a large body waits on a delayed ACK.
    client.set_tcp_nodelay(true);
    // A 200 waits for the server's flush; under 200 parallel uploads that can be long.
    client.set_read_timeout(300, 0);
    client.set_write_timeout(300, 0);
    const httplib::Headers auth{{"Authorization", "Bearer " + options.token}};

    const nlohmann::json init{
        {"fileName", "bench.bin"}, {"size", size}, {"mimeType", "application/octet-stream"}};
    const auto created = sendRetrying(
        [&] { return client.Post("/upload/init", auth, init.dump(), "application/json"); },
        retries);
    if (!created || created->status != 201)
        return describe(created, "init");
    const auto session = nlohmann::json::parse(created->body);
    const std::string path = "/upload/" + session.at("sessionId").get<std::string>();
    const auto chunkSize = session.at("chunkSize").get<std::int64_t>();

    for (std::int64_t offset = 0; offset < size; offset += chunkSize) {
        const auto length = static_cast<std::size_t>(std::min(chunkSize, size - offset));
        const char* chunk = file + offset;
        httplib::Headers headers = auth;
        headers.emplace("X-Upload-Offset", std::to_string(offset));
        const auto put = sendRetrying(
            [&] {
                return client.Put(
                    path, headers, length,
                    [chunk](std::size_t from, std::size_t bytes, httplib::DataSink& sink) {
                        return sink.write(chunk + from, bytes);
                    },
                    "application/octet-stream");
            },
            retries);
        if (!put || put->status != 200)
            return describe(put, ("chunk at " + std::to_string(offset)).c_str());
    }
    const auto done = sendRetrying(
        [&] { return client.Post(path + "/complete", auth, "{}", "application/json"); }, retries);
    if (!done || done->status != 200)
        return describe(done, "complete");
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) {
        std::cerr << "usage: upload_driver --url http://HOST:PORT --token TOKEN --file FILE "
                     "[--parallel N]\n";
        return 2;
    }
    const int fd = ::open(options->file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0) {
        std::cerr << "cannot open " << options->file << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    void* mapped =
        ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        std::cerr << "cannot map " << options->file << ": " << std::strerror(errno) << "\n";
        return 2;
    }
    const char* file = static_cast<const char*>(mapped);

    std::mutex mutex;
    int errors = 0;
    std::atomic<int> retries = 0;
    std::string firstError;
    std::latch start(options->parallel + 1);
    std::vector<std::thread> uploads;
    for (int i = 0; i < options->parallel; ++i)
        uploads.emplace_back([&] {
            start.arrive_and_wait();
            if (const auto error = upload(*options, file, info.st_size, retries)) {
                std::lock_guard lock(mutex);
                if (errors++ == 0)
                    firstError = *error;
            }
        });
    const auto began = std::chrono::steady_clock::now();
    start.arrive_and_wait();
    for (auto& thread : uploads)
        thread.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

    // Failed uploads sent an unknown part of their bytes: only completed ones count.
    const double bytes = static_cast<double>(info.st_size) * (options->parallel - errors);
    const nlohmann::json report{{"uploads", options->parallel},
                                {"bytes", bytes},
                                {"seconds", seconds},
                                {"mibPerSecond", bytes / (1024.0 * 1024.0) / seconds},
                                {"errors", errors},
                                {"retries", retries.load()},
                                {"firstError", firstError}};
    std::cout << report.dump() << std::endl;
    return errors == 0 ? 0 : 1;
}

#include "http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <sys/socket.h>

namespace hoist {

namespace {
std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// When the request on this worker thread started; the logger runs on the same thread
// after the response is written.
thread_local std::chrono::steady_clock::time_point t_requestStart;

std::int64_t headerNumber(const httplib::Headers& headers, const char* name) {
    const auto it = headers.find(name);
    if (it == headers.end())
        return 0;
    try {
        return std::stoll(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

ServerRequest translate(const httplib::Request& in) {
    ServerRequest out;
    out.method = in.method;
    out.path = in.path;
    out.remoteAddress = in.remote_addr;
    for (std::size_t i = 1; i < in.matches.size(); ++i)
        out.pathParams.push_back(in.matches[i].str());
    for (const auto& [name, value] : in.headers)
        out.headers.emplace(lower(name), value);
    for (const auto& [name, value] : in.params)
        out.query.emplace(name, value);
    if (const auto it = in.headers.find("Content-Length"); it != in.headers.end()) {
        const std::string& text = it->second;
        if (!text.empty() && text.size() <= 18 &&
            std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
            out.contentLength = std::stoll(text);
    }
    return out;
}

void apply(const ServerResponse& in, httplib::Response& out) {
    out.status = in.status;
    for (const auto& [name, value] : in.headers)
        out.set_header(name, value);
    if (in.stream) {
        auto stream = in.stream;
        out.set_content_provider(
            static_cast<std::size_t>(in.streamLength), in.contentType,
            [stream](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                return stream(static_cast<std::int64_t>(offset), static_cast<std::int64_t>(length),
                              [&sink](const char* data, std::size_t size) {
                                  return sink.is_writable() && sink.write(data, size);
                              });
            });
    } else if (!in.body.empty() || !in.contentType.empty()) {
        out.set_content(in.body, in.contentType.empty() ? "application/octet-stream"
                                                        : in.contentType);
    }
}
} // namespace

std::optional<std::string> ServerRequest::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::string> ServerRequest::readSmallBody(std::int64_t maxBytes) const {
    if (contentLength && *contentLength > maxBytes)
        return std::nullopt;
    std::string body;
    const bool complete = readBody([&](const char* data, std::size_t size) {
        if (static_cast<std::int64_t>(body.size() + size) > maxBytes)
            return false;
        body.append(data, size);
        return true;
    });
    if (!complete)
        return std::nullopt;
    return body;
}

void ServerResponse::setJson(int statusCode, const std::string& json) {
    status = statusCode;
    contentType = "application/json";
    body = json;
}

struct HttpServer::Impl {
    HttpServerOptions options;
    std::unique_ptr<httplib::Server> server;
    std::function<void(const RequestLogEntry&)> logger;
    std::function<void(const std::string&)> errorReporter;
    socket_t listenSocket = INVALID_SOCKET;
};

HttpServer::HttpServer(HttpServerOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    auto& o = m_impl->options;
    if (!o.tlsCertFile.empty())
        m_impl->server =
            std::make_unique<httplib::SSLServer>(o.tlsCertFile.c_str(), o.tlsKeyFile.c_str());
    else
        m_impl->server = std::make_unique<httplib::Server>();
    auto& server = *m_impl->server;
    const std::size_t threads = o.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // Without NODELAY the small 200 after each chunk waits on delayed ACKs (NOTES.md).
    server.set_tcp_nodelay(true);
    server.set_payload_max_length(static_cast<std::size_t>(o.maxPayloadBytes));
    server.set_read_timeout(o.readTimeout);
    server.set_write_timeout(o.writeTimeout.count(), 0);
    // Idle keep-alive connections are let go quickly so a shutdown never waits long.
    server.set_keep_alive_timeout(3);
    server.set_keep_alive_max_count(100000);
    // cpp-httplib 0.11.4 listens with a backlog of 5. When 200 clients connect at once
    // the accept queue overflows and the kernel drops their handshakes; they are
    // retransmitted seconds later, and 116 of 200 benchmark uploads failed at init
    // (bench/README.md). bind() widens the backlog on the socket remembered here.
    server.set_socket_options([impl = m_impl.get()](socket_t sock) {
        httplib::default_socket_options(sock);
        impl->listenSocket = sock;
    });
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        t_requestStart = std::chrono::steady_clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([impl = m_impl.get()](const httplib::Request& req,
                                            const httplib::Response& res) {
        if (!impl->logger)
            return;
        RequestLogEntry entry;
        entry.method = req.method;
        entry.path = req.path;
        entry.status = res.status;
        entry.bytesIn = headerNumber(req.headers, "Content-Length");
        entry.bytesOut = headerNumber(res.headers, "Content-Length");
        entry.milliseconds = std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - t_requestStart)
                                 .count();
        entry.remoteAddress = req.remote_addr;
        impl->logger(entry);
    });
    // Answers httplib produced itself (no route, unparsable request, payload over the
    // limit) get the same error JSON as ours.
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0)
            return httplib::Server::HandlerResponse::Unhandled;
        const char* code = res.status == 404   ? "not_found"
                           : res.status == 413 ? "payload_too_large"
                           : res.status == 416 ? "range_not_satisfiable"
                                               : "bad_request";
        res.set_content(std::string(R"({"error":")") + code +
                            R"(","message":"the request was refused (HTTP )" +
                            std::to_string(res.status) + ")\"}",
                        "application/json");
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([impl = m_impl.get()](const httplib::Request& req,
                                                       httplib::Response& res,
                                                       std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (impl->errorReporter)
            impl->errorReporter(req.method + " " + req.path + ": " + what);
        res.status = 500;
        res.set_content(R"({"error":"internal","message":"internal server error"})",
                        "application/json");
    });
}

HttpServer::~HttpServer() = default;

void HttpServer::route(const std::string& method, const std::string& pattern,
                       HttpHandler handler) {
    auto& server = *m_impl->server;
    if (method == "GET") {
        server.Get(pattern, [handler](const httplib::Request& req, httplib::Response& res) {
            // Range is ours to interpret: clear httplib's parsed ranges so it never
            // slices a body a handler already cut to the requested range.
            const_cast<httplib::Request&>(req).ranges.clear();
            ServerRequest request = translate(req);
            const std::string& body = req.body;
            request.readBody = [&body](const ByteSink& sink) {
                return body.empty() || sink(body.data(), body.size());
            };
            ServerResponse response;
            handler(request, response);
            apply(response, res);
        });
        return;
    }
    const std::int64_t drainLimit = m_impl->options.maxPayloadBytes;
    auto streaming = [handler, drainLimit](const httplib::Request& req, httplib::Response& res,
                                           const httplib::ContentReader& reader) {
        ServerRequest request = translate(req);
        bool consumed = false;
        request.readBody = [&](const ByteSink& sink) {
            if (consumed)
                return false;
            consumed = true;
            return reader([&](const char* data, std::size_t size) { return sink(data, size); });
        };
        ServerResponse response;
        handler(request, response);
        // A handler that answered without reading the body (auth, 409, 423...) still
        // leaves it on the socket; reading it off keeps the keep-alive connection in
        // step and lets the client, which sends the whole body first, read our answer.
        // A body larger than any request may carry is not worth reading: the
        // connection ends after the answer instead.
        const std::int64_t unread = consumed ? 0 : request.contentLength.value_or(0);
        if (unread > 0 && unread <= drainLimit)
            reader([](const char*, std::size_t) { return true; });
        apply(response, res);
        if (unread > drainLimit)
            res.set_header("Connection", "close");
    };
    if (method == "PUT")
        server.Put(pattern, streaming);
    else if (method == "POST")
        server.Post(pattern, streaming);
    else if (method == "DELETE")
        server.Delete(pattern, streaming);
}

void HttpServer::setRequestLogger(std::function<void(const RequestLogEntry&)> logger) {
    m_impl->logger = std::move(logger);
}

void HttpServer::setErrorReporter(std::function<void(const std::string&)> reporter) {
    m_impl->errorReporter = std::move(reporter);
}

tl::expected<int, std::string> HttpServer::bind() {
    auto& server = *m_impl->server;
    const auto& o = m_impl->options;
    if (!server.is_valid())
        return tl::unexpected("cannot load the TLS certificate or key (" + o.tlsCertFile + ", " +
                              o.tlsKeyFile + ")");
    int port = o.port;
    if (port == 0) {
        port = server.bind_to_any_port(o.host);
        if (port <= 0)
            return tl::unexpected("cannot listen on " + o.host + ": no free port");
    } else if (!server.bind_to_port(o.host, o.port)) {
        return tl::unexpected("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                              " (address in use or not available)");
    }
    // Listening again on a listening socket only changes its backlog (Linux, BSD).
    ::listen(m_impl->listenSocket, SOMAXCONN);
    return port;
}

bool HttpServer::tls() const { return !m_impl->options.tlsCertFile.empty(); }

void HttpServer::serve() { m_impl->server->listen_after_bind(); }

void HttpServer::stop() { m_impl->server->stop(); }

} // namespace hoist

#pragma once

#include <httplib.h>

#include <QByteArray>
#include <QUrl>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

// A scripted tus 1.0.0 server on a loopback port (cpp-httplib on its own thread),
// for checks a real tus server cannot be made to show: which headers a client
// sends, a 409 whose offset only a HEAD tells, 410, a token that is refused. One
// upload at a time, at /files/up; creation answers a relative Location.
class FakeTusServer final {
  public:
    struct Seen {
        std::string uploadLength;
        std::string uploadMetadata;
        std::string patchContentType;
        std::string patchChecksum;
        std::string tusResumable;
        std::string authorization;
        int patches = 0;
        int heads = 0;
        int deletes = 0;
    };

    // The OPTIONS answer's extension list, checksum algorithms and max size.
    std::string extensions = "creation,termination";
    std::string checksumAlgorithms;
    std::string maxSize;
    std::string requiredToken; // when set, other tokens get 401
    int goneStatus = 0;        // when set, HEAD and PATCH answer it
    qint64 serverAhead = 0;    // bytes the server holds beyond what it was sent

    FakeTusServer() {
        m_server.Options("/files/", [this](const httplib::Request&, httplib::Response& response) {
            std::lock_guard lock(m_mutex);
            response.status = 204;
            response.set_header("Tus-Version", "1.0.0");
            response.set_header("Tus-Resumable", "1.0.0");
            response.set_header("Tus-Extension", extensions);
            if (!checksumAlgorithms.empty())
                response.set_header("Tus-Checksum-Algorithm", checksumAlgorithms);
            if (!maxSize.empty())
                response.set_header("Tus-Max-Size", maxSize);
        });
        m_server.Post("/files/",
                      [this](const httplib::Request& request, httplib::Response& response) {
                          std::lock_guard lock(m_mutex);
                          if (refused(request, response))
                              return;
                          m_seen.uploadLength = request.get_header_value("Upload-Length");
                          m_seen.uploadMetadata = request.get_header_value("Upload-Metadata");
                          m_length = std::stoll(m_seen.uploadLength);
                          m_bytes.clear();
                          response.status = 201;
                          response.set_header("Location", "/files/up");
                      });
        m_server.Get("/files/(.*)",
                     [this](const httplib::Request& request, httplib::Response& response) {
                         std::lock_guard lock(m_mutex);
                         ++m_seen.heads;
                         if (refused(request, response) || gone(request, response))
                             return;
                         response.status = 200;
                         response.set_header("Upload-Offset", std::to_string(offset()));
                         response.set_header("Upload-Length", std::to_string(m_length));
                     });
        m_server.Patch(
            "/files/up", [this](const httplib::Request& request, httplib::Response& response) {
                std::lock_guard lock(m_mutex);
                ++m_seen.patches;
                m_seen.patchContentType = request.get_header_value("Content-Type");
                m_seen.patchChecksum = request.get_header_value("Upload-Checksum");
                if (refused(request, response) || gone(request, response))
                    return;
                if (std::stoll(request.get_header_value("Upload-Offset")) != offset()) {
                    response.status = 409; // as the tus spec has it: no offset in the answer
                    return;
                }
                m_bytes += QByteArray::fromStdString(request.body);
                response.status = 204;
                response.set_header("Upload-Offset", std::to_string(offset()));
            });
        m_server.Delete("/files/up",
                        [this](const httplib::Request& request, httplib::Response& response) {
                            std::lock_guard lock(m_mutex);
                            ++m_seen.deletes;
                            if (!refused(request, response))
                                response.status = 204;
                        });
        // One request per connection: stop() then waits for no idle keep-alive connection.
        m_server.set_keep_alive_max_count(1);
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        // httplib's stop() does nothing to a server whose loop has not begun yet.
        while (!m_server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeTusServer() {
        m_server.stop();
        m_thread.join();
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/files/").arg(m_port)); }
    Seen seen() const {
        std::lock_guard lock(m_mutex);
        return m_seen;
    }
    QByteArray bytes() const {
        std::lock_guard lock(m_mutex);
        return m_bytes;
    }

  private:
    qint64 offset() const { return m_bytes.size() + serverAhead; }
    bool refused(const httplib::Request& request, httplib::Response& response) {
        m_seen.tusResumable = request.get_header_value("Tus-Resumable");
        m_seen.authorization = request.get_header_value("Authorization");
        if (requiredToken.empty() || m_seen.authorization == "Bearer " + requiredToken)
            return false;
        response.status = 401;
        return true;
    }
    bool gone(const httplib::Request& request, httplib::Response& response) const {
        if (goneStatus == 0 && request.path == "/files/up")
            return false;
        response.status = goneStatus != 0 ? goneStatus : 404;
        response.set_content("upload not found", "text/plain");
        return true;
    }

    httplib::Server m_server;
    mutable std::mutex m_mutex;
    Seen m_seen;
    qint64 m_length = 0;
    QByteArray m_bytes;
    int m_port = 0;
    std::thread m_thread;
};

#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

// A blocking HTTP client for tests: each call runs a local event loop until the reply
// is finished, so test code reads top to bottom like the protocol it checks.
struct TestReply {
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QByteArray header(const QByteArray& name) const;
    QJsonObject json() const;
};

class TestHttpClient final {
  public:
    explicit TestHttpClient(QUrl base, QByteArray token = "tokA");

    void setToken(const QByteArray& token) { m_token = token; }
    TestReply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
                   const QList<QPair<QByteArray, QByteArray>>& headers = {});
    TestReply get(const QString& path) { return send("GET", path); }
    TestReply postJson(const QString& path, const QJsonObject& body);
    TestReply putChunk(const QString& sessionId, qint64 offset, const QByteArray& bytes);

    // POST /upload/init for a file of `size` bytes; returns the JSON (sessionId, chunkSize...).
    QJsonObject init(const QString& fileName, qint64 size);
    // POST complete with the fingerprint of `data`.
    TestReply complete(const QString& sessionId, const QByteArray& data);
    // The bytes of the file a successful completion names.
    QByteArray fileContent(const TestReply& completion);
    // The whole protocol: init, every chunk, complete. Returns the completion JSON.
    QJsonObject upload(const QString& fileName, const QByteArray& data);

  private:
    QUrl m_base;
    QByteArray m_token;
    QNetworkAccessManager m_network;
};

QByteArray sha256Hex(const QByteArray& data);
// Deterministic pseudo-random bytes (tests compare what comes back).
QByteArray testBytes(qint64 size, quint32 seed = 1);

#include "test_http_client.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRandomGenerator>

QByteArray TestReply::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject TestReply::json() const {
    return QJsonDocument::fromJson(body).object();
}

TestHttpClient::TestHttpClient(QUrl base, QByteArray token)
    : m_base(std::move(base)), m_token(std::move(token)) {}

TestReply TestHttpClient::send(const QByteArray& method, const QString& path,
                               const QByteArray& body,
                               const QList<QPair<QByteArray, QByteArray>>& headers) {
    QNetworkRequest request(m_base.resolved(QUrl(path)));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    request.setTransferTimeout(60000);
    QBuffer buffer;
    buffer.setData(body);
    buffer.open(QIODevice::ReadOnly);
    QNetworkReply* reply = m_network.sendCustomRequest(request, method, &buffer);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    TestReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.headers = reply->rawHeaderPairs();
    // A connection cut after the status line (a server killed mid-answer) leaves a
    // status beside a partial body: that is no answer at all. Qt's transport errors are
    // the codes below its proxy errors; HTTP error statuses keep their status.
    const QByteArray length = reply->rawHeader("Content-Length");
    if ((reply->error() != QNetworkReply::NoError &&
         reply->error() < QNetworkReply::ProxyConnectionRefusedError) ||
        (!length.isEmpty() && length.toLongLong() != out.body.size()))
        out.status = 0;
    if (out.status == 0)
        out.networkError = reply->errorString();
    reply->deleteLater();
    return out;
}

TestReply TestHttpClient::postJson(const QString& path, const QJsonObject& body) {
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                {{"Content-Type", "application/json"}});
}

TestReply TestHttpClient::putChunk(const QString& sessionId, qint64 offset,
                                   const QByteArray& bytes) {
    return send("PUT", "/upload/" + sessionId, bytes,
                {{"X-Upload-Offset", QByteArray::number(offset)},
                 {"Content-Type", "application/octet-stream"}});
}

QJsonObject TestHttpClient::init(const QString& fileName, qint64 size) {
    return postJson("/upload/init", {{"fileName", fileName}, {"size", size}}).json();
}

QJsonObject TestHttpClient::upload(const QString& fileName, const QByteArray& data) {
    const QJsonObject session = init(fileName, data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    for (qint64 offset = 0; offset < data.size(); offset += chunk) {
        if (putChunk(id, offset, data.mid(offset, chunk)).status != 200)
            return {};
    }
    return complete(id, data).json();
}

TestReply TestHttpClient::complete(const QString& sessionId, const QByteArray& data) {
    return postJson("/upload/" + sessionId + "/complete",
                    {{"fingerprint", QString(sha256Hex(data))}});
}

QByteArray TestHttpClient::fileContent(const TestReply& completion) {
    return get("/files/" + completion.json()["fileId"].toString() + "/content").body;
}

QByteArray sha256Hex(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray testBytes(qint64 size, quint32 seed) {
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    qint64 i = 0;
    for (; i + 4 <= size; i += 4) {
        const quint32 word = generator.generate();
        memcpy(out.data() + i, &word, 4);
    }
    for (; i < size; ++i)
        out[i] = static_cast<char>(generator.generate());
    return out;
}

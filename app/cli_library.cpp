#include "cli_library.h"

#include "file_hasher.h"
#include "protocol_error.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <QCoroFuture>
#include <QCoroNetworkReply>

#include <cstdio>

namespace {

enum { kOk = 0, kFailed = 1 };

void printLine(const QByteArray& line) {
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QString filePath(const QString& fileId) {
    return QStringLiteral("/files/") + QString::fromLatin1(QUrl::toPercentEncoding(fileId));
}

// A failed reply in the engine's words (docs/protocol.md's error codes).
QString failure(QNetworkReply& reply, const QByteArray& body) {
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return reply.errorString();
    return hoist::ProtocolError::fromResponse(status, QJsonDocument::fromJson(body).object(), {})
        .describe();
}

QCoro::Task<QNetworkReply*> finished(QNetworkReply* reply) {
    co_await reply;
    reply->deleteLater();
    co_return reply;
}

bool succeeded(const QNetworkReply& reply) {
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return status >= 200 && status < 300;
}

} // namespace

CliLibrary::CliLibrary(hoist::Settings settings, bool json)
    : m_settings(std::move(settings)), m_json(json) {}

QNetworkRequest CliLibrary::request(const QString& path) const {
    QUrl url = m_settings.serverUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_settings.token.toUtf8());
    request.setTransferTimeout(static_cast<int>(m_settings.transferTimeout.count()));
    if (!m_settings.caFile.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(QSslCertificate::fromPath(m_settings.caFile));
        request.setSslConfiguration(ssl);
    }
    return request;
}

QCoro::Task<int> CliLibrary::list() {
    QNetworkReply* reply = co_await finished(m_network.get(request(QStringLiteral("/files"))));
    const QByteArray body = reply->readAll();
    if (!succeeded(*reply)) {
        std::fprintf(stderr, "hoist: cannot list the files: %s\n",
                     qPrintable(failure(*reply, body)));
        co_return kFailed;
    }
    const QJsonArray files =
        QJsonDocument::fromJson(body).object().value(QLatin1String("files")).toArray();
    for (const QJsonValue& value : files) {
        const QJsonObject file = value.toObject();
        if (m_json) {
            printLine(QJsonDocument(file).toJson(QJsonDocument::Compact));
            continue;
        }
        printLine(QStringList{file.value(QLatin1String("fileId")).toString(),
                              QString::number(file.value(QLatin1String("size")).toInteger()),
                              file.value(QLatin1String("createdAt")).toString(),
                              file.value(QLatin1String("fileName")).toString()}
                      .join(QLatin1Char('\t'))
                      .toLocal8Bit());
    }
    co_return kOk;
}

QCoro::Task<int> CliLibrary::get(QString fileId, QString output) {
    QNetworkReply* info = co_await finished(m_network.get(request(filePath(fileId))));
    const QByteArray infoBody = info->readAll();
    if (!succeeded(*info)) {
        std::fprintf(stderr, "hoist: %s: %s\n", qPrintable(fileId),
                     qPrintable(failure(*info, infoBody)));
        co_return kFailed;
    }
    const QJsonObject file = QJsonDocument::fromJson(infoBody).object();
    const qint64 size = file.value(QLatin1String("size")).toInteger();
    const QString fingerprint = file.value(QLatin1String("fingerprint")).toString();
    if (output.isEmpty())
        output = QFileInfo(file.value(QLatin1String("fileName")).toString()).fileName();
    if (output.isEmpty())
        output = fileId;

    QFile part(output + QStringLiteral(".part"));
    if (!part.open(QIODevice::ReadWrite)) {
        std::fprintf(stderr, "hoist: cannot write %s: %s\n", qPrintable(part.fileName()),
                     qPrintable(part.errorString()));
        co_return kFailed;
    }
    const qint64 have = std::min(part.size(), size);
    QNetworkRequest ranged = request(filePath(fileId) + QStringLiteral("/content"));
    if (have > 0)
        ranged.setRawHeader("Range", "bytes=" + QByteArray::number(have) + "-");
    QNetworkReply* content = m_network.get(ranged);
    bool positioned = false;
    bool writeFailed = false;
    // Written as it arrives: an interrupted download keeps what came.
    QObject::connect(content, &QNetworkReply::readyRead, content, [&] {
        if (!positioned) {
            const int status = content->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 206)
                part.seek(have);
            else if (status == 200)
                part.resize(0);
            else
                return;
            positioned = true;
        }
        const QByteArray bytes = content->readAll();
        writeFailed = writeFailed || part.write(bytes) != bytes.size();
    });
    co_await finished(content);
    const int status = content->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 || status == 206) {
        if (!positioned) {
            part.resize(status == 206 ? have : 0);
            part.seek(part.size());
        }
        const QByteArray rest = content->readAll();
        writeFailed = writeFailed || part.write(rest) != rest.size();
    }
    part.close();
    if (writeFailed) {
        std::fprintf(stderr, "hoist: cannot write %s\n", qPrintable(part.fileName()));
        co_return kFailed;
    }
    if (content->error() != QNetworkReply::NoError && status != 416) {
        std::fprintf(stderr,
                     "hoist: download of %s interrupted (%s); run the same command to "
                     "continue\n",
                     qPrintable(fileId), qPrintable(failure(*content, {})));
        co_return kFailed;
    }
    const auto digest =
        co_await hoist::hashFile(part.fileName(), std::make_shared<hoist::HashProgress>());
    if (!digest || QFileInfo(part.fileName()).size() != size ||
        (!fingerprint.isEmpty() && *digest != fingerprint)) {
        part.remove();
        std::fprintf(stderr,
                     "hoist: %s: the downloaded bytes do not match the server's SHA-256; "
                     "run the command again\n",
                     qPrintable(fileId));
        co_return kFailed;
    }
    QFile::remove(output);
    if (!QFile::rename(part.fileName(), output)) {
        std::fprintf(stderr, "hoist: cannot rename %s to %s\n", qPrintable(part.fileName()),
                     qPrintable(output));
        co_return kFailed;
    }
    if (m_json)
        printLine(QJsonDocument(QJsonObject{{"fileId", fileId},
                                            {"path", output},
                                            {"size", size},
                                            {"resumedAt", have},
                                            {"fingerprint", *digest}})
                      .toJson(QJsonDocument::Compact));
    else
        printLine(QStringList{QStringLiteral("done"), output, fileId}
                      .join(QLatin1Char('\t'))
                      .toLocal8Bit());
    co_return kOk;
}

QCoro::Task<int> CliLibrary::remove(QStringList fileIds) {
    int status = kOk;
    for (const QString& fileId : fileIds) {
        QNetworkReply* reply =
            co_await finished(m_network.deleteResource(request(filePath(fileId))));
        const QByteArray body = reply->readAll();
        const bool ok = succeeded(*reply);
        const QString error = ok ? QString() : failure(*reply, body);
        if (!ok)
            status = kFailed;
        if (m_json) {
            QJsonObject line{{"fileId", fileId}, {"state", ok ? "deleted" : "failed"}};
            if (!ok)
                line.insert(QStringLiteral("error"), error);
            printLine(QJsonDocument(line).toJson(QJsonDocument::Compact));
        } else {
            printLine(QStringList{ok ? QStringLiteral("deleted") : QStringLiteral("failed"), fileId,
                                  error}
                          .join(QLatin1Char('\t'))
                          .toLocal8Bit());
        }
    }
    co_return status;
}

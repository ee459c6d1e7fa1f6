#include "test_support.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace test_support {

namespace {

struct Answer {
    int status = 0;
    QByteArray body;
};

Answer request(const QUrl& url, const QString& token) {
    QNetworkAccessManager network;
    QNetworkRequest get(url);
    if (!token.isEmpty())
        get.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    get.setTransferTimeout(20000);
    QNetworkReply* reply = network.get(get);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

std::optional<QByteArray> get(const QUrl& url, const QString& token) {
    Answer answer = request(url, token);
    if (answer.status != 200)
        return std::nullopt;
    return answer.body;
}

} // namespace

QByteArray writeRandomFile(const QString& path, qint64 size) {
    QByteArray bytes(size, Qt::Uninitialized);
    auto* words = reinterpret_cast<quint32*>(bytes.data());
    QRandomGenerator::global()->fillRange(words, static_cast<qsizetype>(size / 4));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != size)
        return {};
    return bytes;
}

std::optional<QByteArray> download(const QUrl& server, const QString& token,
                                   const QString& fileId) {
    QUrl url = server;
    url.setPath(QStringLiteral("/files/%1/content").arg(fileId));
    return get(url, token);
}

int httpStatus(const QUrl& url, const QString& token) {
    return request(url, token).status;
}

double metric(const QUrl& server, const QString& series) {
    QUrl url = server;
    url.setPath(QStringLiteral("/metrics"));
    const auto text = get(url, {});
    if (!text)
        return -1;
    for (const QByteArray& line : text->split('\n')) {
        if (line.startsWith(series.toUtf8() + ' '))
            return line.mid(series.size() + 1).trimmed().toDouble();
    }
    return -1;
}

void runUntilSettled(const hoist::UploadJob& job, int timeoutMs) {
    const auto settled = [&job] {
        return hoist::isDone(job.state()) || job.state() == hoist::JobState::Failed;
    };
    if (settled())
        return;
    QEventLoop loop;
    QObject::connect(&job, &hoist::UploadJob::stateChanged, &loop, [&] {
        if (settled())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

hoist::Settings fastSettings(const QUrl& server) {
    using namespace std::chrono_literals;
    hoist::Settings settings;
    settings.serverUrl = server;
    settings.token = QStringLiteral("tokA");
    settings.maxConcurrent = 1;
    settings.retry.firstDelay = 200ms;
    settings.retry.maxDelay = 1600ms;
    settings.retry.probeInterval = 200ms;
    settings.transferTimeout = 1500ms;
    return settings;
}

} // namespace test_support

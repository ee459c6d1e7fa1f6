#include "ui_test_support.h"

#include "upload_engine.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRandomGenerator>
#include <QTimer>

namespace ui_test {

void isolateUserFolders(const QString& root) {
    for (const char* name : {"config", "data", "cache", "runtime"})
        QDir(root).mkpath(QLatin1String(name));
    qputenv("HOME", root.toUtf8());
    qputenv("XDG_CONFIG_HOME", (root + "/config").toUtf8());
    qputenv("XDG_DATA_HOME", (root + "/data").toUtf8());
    qputenv("XDG_CACHE_HOME", (root + "/cache").toUtf8());
    qputenv("XDG_RUNTIME_DIR", (root + "/runtime").toUtf8());
    QFile::setPermissions(root + "/runtime",
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void writeFile(const QString& path, qint64 size) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QRandomGenerator random(static_cast<quint32>(qHash(path)));
    QByteArray block(64 * 1024, Qt::Uninitialized);
    for (qint64 left = size; left > 0;) {
        random.fillRange(reinterpret_cast<quint32*>(block.data()), block.size() / 4);
        const qint64 n = std::min<qint64>(left, block.size());
        file.write(block.constData(), n);
        left -= n;
    }
}

hoist::Settings testSettings(const QUrl& server, const QString& token) {
    hoist::Settings settings;
    settings.serverUrl = server;
    settings.token = token;
    settings.maxConcurrent = 2;
    settings.retry.firstDelay = std::chrono::milliseconds(50);
    settings.retry.maxDelay = std::chrono::milliseconds(200);
    settings.transferTimeout = std::chrono::seconds(10);
    return settings;
}

AppFixture::AppFixture(const QString& folder, const QUrl& server, const QString& token)
    : settings(folder + "/hoist.ini", QSettings::IniFormat),
      tokens(settings, QStringLiteral("hoist-ui-test")),
      configuration(settings, tokens, [](const QString&) { return false; }) {
    configuration.overrideServer(server, token);
    hoist::Settings engineSettings = configuration.settings();
    engineSettings.retry = testSettings(server, token).retry;
    host = std::make_unique<hoist::EngineHost>(
        [folder](const hoist::Settings& chosen) {
            return std::make_unique<hoist::UploadEngine>(chosen, folder + "/queue");
        },
        engineSettings);
}

MessageBoxAnswerer::MessageBoxAnswerer(QMessageBox::StandardButton button, int timeoutMs)
    : m_button(button) {
    auto* poll = new QTimer(this);
    poll->setInterval(20);
    connect(poll, &QTimer::timeout, this, [this, poll] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box || !box->isVisible())
            return;
        poll->stop();
        m_answered = true;
        m_text = box->text();
        box->button(m_button)->click();
    });
    poll->start();
    QTimer::singleShot(timeoutMs, poll, &QTimer::stop);
}

int httpStatus(const QUrl& server, const QString& path, const QString& token) {
    QNetworkAccessManager network;
    QUrl url = server;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

} // namespace ui_test

#include "single_instance.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>

namespace hoist {

SingleInstance::SingleInstance(QString name, QObject* parent)
    : QObject(parent), m_name(std::move(name)) {
    // Only this user may hand files to this user's window.
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::accept);
}

QString SingleInstance::defaultName() {
    const QString user = qEnvironmentVariable("USER", QStringLiteral("user"));
    return QStringLiteral("hoist-%1").arg(user);
}

bool SingleInstance::handOver(const QStringList& paths, int timeoutMs) {
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    QJsonArray files;
    for (const QString& path : paths)
        files.append(QFileInfo(path).absoluteFilePath());
    socket.write(QJsonDocument(files).toJson(QJsonDocument::Compact));
    socket.disconnectFromServer();
    return socket.state() == QLocalSocket::UnconnectedState ||
           socket.waitForDisconnected(timeoutMs);
}

bool SingleInstance::listen() {
    if (m_server.listen(m_name))
        return true;
    QLocalServer::removeServer(m_name);
    return m_server.listen(m_name);
}

void SingleInstance::accept() {
    while (QLocalSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
            QStringList paths;
            for (const QJsonValue& value : QJsonDocument::fromJson(socket->readAll()).array())
                paths << value.toString();
            socket->deleteLater();
            emit filesReceived(paths);
        });
    }
}

} // namespace hoist

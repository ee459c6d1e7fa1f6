#include "tcp_proxy.h"

#include <QTcpSocket>

#include <algorithm>
#include <memory>
#include <optional>

TcpProxy::TcpProxy(quint16 targetPort, QObject* parent)
    : QObject(parent), m_targetPort(targetPort) {
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::accept);
}

bool TcpProxy::listen() {
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl TcpProxy::url() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void TcpProxy::injectFault(Fault fault, qint64 afterClientBytes) {
    m_faults.append({fault, afterClientBytes});
    std::sort(m_faults.begin(), m_faults.end(),
              [](const PendingFault& a, const PendingFault& b) { return a.after < b.after; });
}

void TcpProxy::accept() {
    while (QTcpSocket* client = m_server.nextPendingConnection()) {
        auto* upstream = new QTcpSocket(client);
        relay(client, upstream);
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpProxy::relay(QTcpSocket* client, QTcpSocket* upstream) {
    struct State {
        bool stalled = false;
        QByteArray early; // client bytes that came before upstream connected
    };
    auto state = std::make_shared<State>();
    const auto close = [client] { client->deleteLater(); };

    const auto forwardFromClient = [this, client, upstream, state, close] {
        if (state->stalled) {
            client->readAll(); // swallowed: the connection hangs until the client gives up
            return;
        }
        QByteArray bytes = client->readAll();
        std::optional<Fault> fault;
        if (!m_faults.isEmpty() && m_forwarded + bytes.size() > m_faults.first().after) {
            const PendingFault due = m_faults.takeFirst();
            bytes.truncate(std::max<qint64>(0, due.after - m_forwarded));
            fault = due.fault;
            ++m_triggered;
            if (due.fault == Fault::Stall)
                state->stalled = true;
        }
        m_forwarded += bytes.size();
        if (upstream->state() == QAbstractSocket::ConnectedState)
            upstream->write(bytes);
        else
            state->early += bytes;
        if (fault == Fault::Cut) {
            upstream->abort();
            client->abort();
            close();
        }
    };
    connect(client, &QTcpSocket::readyRead, this, forwardFromClient);
    connect(upstream, &QTcpSocket::connected, this,
            [upstream, state] { upstream->write(std::exchange(state->early, {})); });
    connect(upstream, &QTcpSocket::readyRead, this, [client, upstream, state] {
        if (!state->stalled)
            client->write(upstream->readAll());
    });
    connect(upstream, &QTcpSocket::disconnected, client,
            [client] { client->disconnectFromHost(); });
    // A refused connection (hoistd down) is a reset for the client; an orderly close
    // arrives through disconnected() after the last response bytes were relayed.
    connect(upstream, &QTcpSocket::errorOccurred, client,
            [client](QAbstractSocket::SocketError error) {
                if (error != QAbstractSocket::RemoteHostClosedError)
                    client->abort();
            });
    connect(client, &QTcpSocket::disconnected, client, close);
}

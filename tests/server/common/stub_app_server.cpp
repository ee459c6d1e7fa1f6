#include "stub_app_server.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>

StubAppServer::StubAppServer(QList<Answer> script)
    : StubAppServer([this, script = std::move(script)](const Received&) {
          return script.value(std::min<qsizetype>(m_received.size(), script.size() - 1));
      }) {}

StubAppServer::StubAppServer(Responder responder) : m_responder(std::move(responder)) {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

bool StubAppServer::listen() {
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QByteArray StubAppServer::url() const {
    return "http://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + "/hooks/hoist";
}

void StubAppServer::serve(QTcpSocket* socket) {
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        socket->setProperty("buffer", buffer);
        return;
    }
    Received request;
    qint64 length = 0;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        request.headers[name] = lines[i].mid(colon + 1).trimmed();
        if (name == "content-length")
            length = request.headers[name].toLongLong();
    }
    if (buffer.size() - headerEnd - 4 < length) {
        socket->setProperty("buffer", buffer);
        return;
    }
    request.body = buffer.mid(headerEnd + 4, length);
    socket->setProperty("buffer", buffer.mid(headerEnd + 4 + length));
    request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    const Answer answer = m_responder(request);
    m_received.append(request);
    if (answer.mode == Mode::Hang)
        return;
    if (answer.mode == Mode::Trickle)
        return trickle(socket, answer);
    socket->write("HTTP/1.1 " + QByteArray::number(answer.status) +
                  " Stub\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body);
}

void StubAppServer::trickle(QTcpSocket* socket, const Answer& answer) {
    // A byte every 200 ms: never silent long enough for a per-read timeout, and a body
    // so long that the answer would take hours.
    const QByteArray head = "HTTP/1.1 " + QByteArray::number(answer.status) +
                            " Stub\r\nContent-Type: application/json\r\nContent-Length: " +
                            QByteArray::number(1 << 20) + "\r\n\r\n";
    auto* timer = new QTimer(socket);
    connect(timer, &QTimer::timeout, socket, [socket, head, sent = qsizetype(0)]() mutable {
        socket->write(sent < head.size() ? head.mid(sent, 1) : QByteArray(" "));
        ++sent;
    });
    timer->start(200);
}

#include "raw_http_connection.h"

#include <QDeadlineTimer>
#include <QHostAddress>

bool RawHttpConnection::connectTo(quint16 port, int timeoutMs) {
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(timeoutMs);
}

bool RawHttpConnection::sendHead(const QByteArray& method, const QByteArray& path,
                                 const QList<QByteArray>& headerLines) {
    QByteArray head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& line : headerLines)
        head += line + "\r\n";
    head += "\r\n";
    return sendBytes(head);
}

bool RawHttpConnection::sendBytes(const QByteArray& bytes) {
    if (m_socket.write(bytes) != bytes.size())
        return false;
    while (m_socket.bytesToWrite() > 0) {
        if (!m_socket.waitForBytesWritten(10000))
            return false;
    }
    return true;
}

int RawHttpConnection::readStatus(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    // What arrived while the body was still being sent is already buffered, and
    // waitForReadyRead waits only for more.
    QByteArray data = m_socket.readAll();
    qsizetype headerEnd = -1;
    while ((headerEnd = data.indexOf("\r\n\r\n")) < 0) {
        if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime())))
            return 0;
        data += m_socket.readAll();
    }
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    qint64 length = 0;
    for (const auto& line : lines) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    m_body = data.mid(headerEnd + 4);
    while (m_body.size() < length && !deadline.hasExpired() &&
           m_socket.waitForReadyRead(int(deadline.remainingTime())))
        m_body += m_socket.readAll();
    const QList<QByteArray> status = lines.value(0).split(' ');
    return status.size() > 1 ? status[1].toInt() : 0;
}

bool RawHttpConnection::beginChunk(quint16 port, const QString& sessionId, qint64 offset,
                                   qint64 length) {
    return connectTo(port) &&
           sendHead("PUT", "/upload/" + sessionId.toUtf8(),
                    {"Authorization: Bearer tokA", "X-Upload-Offset: " + QByteArray::number(offset),
                     "Content-Length: " + QByteArray::number(length)});
}

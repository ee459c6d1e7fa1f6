#pragma once

#include <QByteArray>
#include <QTcpSocket>

// One hand-driven HTTP/1.1 connection, for what a polite client never does: stop a
// body halfway, stall, or hold a request open while the test does something else.
class RawHttpConnection final {
  public:
    bool connectTo(quint16 port, int timeoutMs = 5000);
    // Request line and headers (each "Name: value"), ending the header block.
    bool sendHead(const QByteArray& method, const QByteArray& path,
                  const QList<QByteArray>& headerLines);
    bool sendBytes(const QByteArray& bytes);
    // Connects and sends the head of a chunk PUT (alice's token); the body is the
    // caller's to send, or not.
    bool beginChunk(quint16 port, const QString& sessionId, qint64 offset, qint64 length);
    // The status code of the next response (0 when none arrived in time); the rest of
    // the response is read into body().
    int readStatus(int timeoutMs = 15000);
    QByteArray body() const { return m_body; }
    void close() { m_socket.abort(); }

  private:
    QTcpSocket m_socket;
    QByteArray m_body;
};

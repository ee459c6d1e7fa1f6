#pragma once

#include <sys/types.h>

namespace hoist {

// One step of I/O on a non-blocking connection. bytes > 0: done; bytes == 0 with
// waitFor == 0: the peer closed (or the connection failed); waitFor != 0: nothing
// moved, wait for that poll() readiness (POLLIN or POLLOUT) and call again.
struct TransportStep {
    ssize_t bytes = 0;
    short waitFor = 0;
};

// How a connection's bytes move: plain TCP, or TLS over it. GuardedStream does all
// the waiting, so every deadline applies to both alike.
class Transport {
  public:
    virtual ~Transport() = default;
    // Completes the connection's set-up (the TLS handshake); plain TCP has none.
    virtual TransportStep handshake() { return {1, 0}; }
    virtual TransportStep receive(char* data, size_t size) = 0;
    virtual TransportStep send(const char* data, size_t size) = 0;
    // Bytes already received and decoded, that no poll() on the socket would announce.
    virtual bool buffered() const { return false; }
    // Says goodbye at the protocol's level, best effort and without waiting.
    virtual void close() {}
};

class PlainTransport final : public Transport {
  public:
    explicit PlainTransport(int socket) : m_socket(socket) {}
    TransportStep receive(char* data, size_t size) override;
    TransportStep send(const char* data, size_t size) override;

  private:
    int m_socket;
};

} // namespace hoist

#pragma once

#include "transport.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace hoist {

using Clock = std::chrono::steady_clock;

// The deadlines and caps of docs/admin.md "Security": cpp-httplib 0.11 only has a
// per-recv read timeout and no cap on the number of header lines, so a peer sending a
// byte a second, or endless header lines, held a thread and memory forever.
struct StreamLimits {
    // The whole request head, and the idle time before it on a kept-alive connection:
    // an idle connection costs no more than a new one waiting for its head, and a client
    // busy between two requests (200 uploads on two loaded cores: 5 s seen) keeps it.
    std::chrono::milliseconds headerTimeout{10000};
    std::chrono::milliseconds bodyTimeout{300000}; // the whole request body
    std::int64_t bodyMinRate = 1024;               // bytes/s, averaged over a window
    std::chrono::milliseconds bodyRateWindow{10000};
    std::chrono::milliseconds bodyStall{20000}; // no body byte at all for this long
    std::chrono::milliseconds writeTimeout{60000};
    std::chrono::milliseconds shutdownGrace{20000}; // in-flight bodies after stop()
    std::size_t maxHeaderBytes = 64 * 1024;         // request line and header lines
    // Above httplib's 8 KiB URI limit, so that httplib answers 414 itself.
    std::size_t maxRequestLineBytes = 16 * 1024;
    std::size_t maxHeaderLines = 100;
};

// Raised once by stop(): its pipe becomes readable so every connection waiting for a
// request head wakes at once, and bodies in flight get until graceEnd.
class StopSignal final {
  public:
    StopSignal();
    ~StopSignal();
    StopSignal(const StopSignal&) = delete;
    StopSignal& operator=(const StopSignal&) = delete;

    void raise(std::chrono::milliseconds grace);
    bool raised() const { return m_raised; }
    int fd() const { return m_pipe[0]; }
    Clock::time_point graceEnd() const;

  private:
    int m_pipe[2] = {-1, -1};
    std::atomic<bool> m_raised{false};
    std::atomic<Clock::rep> m_graceEnd{0};
};

// One connection's socket for cpp-httplib's process_request, kept across the requests
// of a keep-alive connection so pipelined bytes already received are never lost. Every
// read and write has a total deadline; a failed one returns -1, which httplib turns
// into a cut-short body or an unparsable head.
class GuardedStream final : public httplib::Stream {
  public:
    enum class Failure {
        None,
        RequestLineTooLong,
        HeadTooLarge,
        HeadTimeout,
        BodyTimeout,
        BodyTooSlow,
        Stopped
    };

    GuardedStream(socket_t socket, Transport& transport, const StreamLimits& limits,
                  const StopSignal& stop);

    // Completes the transport's set-up (the TLS handshake) within the head deadline of
    // the first request; false when it failed or timed out.
    bool handshake();
    // The next bytes read are a request head, due within headerTimeout.
    void beginRequest();
    // The request was admitted and holds a handler slot: its body's deadlines start
    // now. Time spent waiting for a slot is the server's, never held against the client
    // (200 parallel uploads: first chunks that queued for a slot longer than the rate
    // window were cut off as too slow before a byte of them was read).
    void startBodyClock();
    Failure failure() const { return m_failure; }
    // Nothing of a next request arrived: the connection may close without lingering.
    bool idle() const { return m_phase == Phase::Head && m_headBytes == 0 && m_position == m_size; }

    // The body's next bytes as received, at most `size`, without a copy: valid until
    // the next read. Empty at the connection's end or on a failure (failure() says).
    std::span<const char> receiveBody(std::size_t size);

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return m_socket; }

  private:
    enum class Phase { Head, Body };
    // Waits for bytes until the phase's deadline; false with m_failure set (or at EOF,
    // with m_eof set).
    bool fill();
    // Makes room for `room` more bytes after m_size, keeping what is there.
    void reserve(std::size_t room);
    std::optional<Failure> deadlineFailure(Clock::time_point now);
    Clock::time_point readDeadline() const;
    bool windowFailed();
    ssize_t fail(Failure failure);  // for read()
    bool stopWith(Failure failure); // for fill()

    socket_t m_socket;
    Transport& m_transport;
    const StreamLimits& m_limits;
    const StopSignal& m_stop;
    // Received bytes [m_position, m_size) not yet handed to httplib.
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
    std::size_t m_position = 0;
    Phase m_phase = Phase::Head;
    bool m_eof = false;
    Failure m_failure = Failure::None;
    Clock::time_point m_phaseStart;
    std::size_t m_headBytes = 0;
    std::size_t m_headLines = 0;
    std::size_t m_lineLength = 0;
    bool m_lineIsCr = false;
    // The rate window counts only time spent waiting for the client's bytes: a handler
    // busy between reads (a slow disk, an S3 part) is never held against the client.
    Clock::duration m_windowWaited{};
    Clock::time_point m_lastBodyBytes;
    std::int64_t m_windowBytes = 0;
};

} // namespace hoist

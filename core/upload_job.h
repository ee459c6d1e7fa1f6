#pragma once

#include "job_record.h"
#include "protocol_client.h"
#include "retry_policy.h"
#include "speed_meter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <tl/expected.hpp>

namespace hoist {

class CancelToken;
class ChunkPacer;
class ChunkWindow;
class ServerWatch;
struct HashProgress;

// One file's upload: a coroutine that walks queued → hashing → checking →
// uploading → finalizing → done (or done-already-on-server), with paused and
// failed reachable from every active state. Progress is the server's
// uploadedBytes. Lives on the thread of its ProtocolClient.
//
// A transient failure (no answer, 5xx, 503 with Retry-After, 423, 429, 507) never
// fails the job: it waits (JobState::Waiting, the reason in record().error and the
// next try in nextTry()) with the RetryPolicy's backoff, and tries again at once
// when the ServerWatch hears the server answer. Failed is for what no retry fixes,
// or for an outage longer than the policy's maxWait.
//
// A file of Context::hashAlongsideFrom bytes or more is not hashed first: its session
// opens at once and its chunks go out while the hash runs on a worker thread (hashing
// the whole file first would cost its upload a second or more per GiB). The dedup
// preflight runs as soon as the hash is known; a hit then cancels the session, so a
// duplicate costs at most the bytes sent meanwhile. The fingerprint always goes with
// complete, which waits for it.
//
// Chunks go out several at once when the server grants a window: ChunkWindow picks
// them and adapts their number, ChunkFlight carries them. A run that continues a
// session starts from the server's status, so it resends nothing the server stored.
//
// Every start() begins a new "run"; pause() and destruction end the current one
// at once (the chunks in flight are aborted). A run re-checks after every co_await
// that it is still the current run of a living job before touching anything.
class UploadJob final : public QObject {
    Q_OBJECT
  public:
    struct Context {
        ProtocolClient* client = nullptr; // outlives the job
        ServerWatch* watch = nullptr;     // outlives the job; may be null (backoff alone)
        RetryPolicy retry;
        std::chrono::milliseconds finalizePollInterval{500};
        // Chunks in flight at once when the server grants a window (docs/protocol.md,
        // "Parallel chunks"); 1 sends one at a time and does not ask.
        int parallelChunks = 1;
        // Files at least this large upload while they are hashed (see above).
        qint64 hashAlongsideFrom = qint64{64} << 20;
    };

    UploadJob(JobRecord record, Context context, QObject* parent = nullptr);
    ~UploadJob() override;

    const JobRecord& record() const { return m_record; }
    JobState state() const { return m_record.state; }
    QString fileName() const;
    // While hashing: how much of the file is hashed.
    qint64 hashedBytes() const;
    // Server-confirmed bytes per second (EMA); 0 unless uploading.
    double speed() const;
    // Seconds until done at the current speed; -1 when unknown.
    qint64 etaSeconds() const;
    // While waiting: when the next try is due (sooner if the server answers a probe).
    QDateTime nextTry() const { return m_nextTry; }

    void setRetryPolicy(const RetryPolicy& policy);
    // Takes effect from the next session this job opens or resumes.
    void setParallelChunks(int chunks);

    // Queued → running. The scheduler calls this; others use resume()/retry().
    void start();
    // Any unfinished state → Paused, at once.
    void pause();
    // Paused → Queued.
    void resume();
    // Failed → Queued; the server's offset decides where the upload continues.
    void retry();

  signals:
    void stateChanged(hoist::JobState state);
    // Confirmed or hashed bytes moved.
    void progressChanged();
    // Something in record() changed that the queue file should keep.
    void recordChanged();

  private:
    enum class Step { Next, Stop, Again, SessionLost };
    class RunGuard;
    // How one window of chunks ended: a Step, or a transient failure once the other
    // chunks in flight settled (`acked`: some of those were acknowledged meanwhile).
    struct Round {
        Step step = Step::Next;
        std::optional<ProtocolError> loss;
        bool acked = false;
    };

    QCoro::Task<> execute(quint64 run);
    QCoro::Task<> steps(RunGuard guard);
    void startHashing();
    // The hash started by startHashing(), once done: the fingerprint (false when the
    // run ended instead).
    QCoro::Task<bool> awaitFingerprint(RunGuard guard);
    // For a file hashed alongside its upload: the fingerprint and the dedup preflight
    // (at once when hashed already, else waiting); false when the run ended.
    QCoro::Task<bool> settleFingerprint(RunGuard guard);
    // The dedup preflight; false when the job ended (a duplicate, or a failure).
    QCoro::Task<bool> checkDuplicate(RunGuard guard);
    QCoro::Task<bool> openSession(RunGuard guard);
    QCoro::Task<Step> uploadChunks(RunGuard guard);
    QCoro::Task<Round> sendWindow(RunGuard guard, ChunkWindow& window, ChunkPacer& pacer);
    QCoro::Task<Step> finalize(RunGuard guard);
    template <typename T> using Call = std::function<QCoro::Task<Result<T>>()>;
    template <typename T> QCoro::Task<Result<T>> withRetries(Call<T> call, RunGuard guard);
    Call<SessionStatus> statusCall() const;
    QCoro::Task<bool> backOff(RunGuard guard, ProtocolError error);
    void recovered();
    void failOn(const ProtocolError& error);

    void stopRun();
    void setState(JobState state);
    void fail(QString reason);
    void failUnreadable(const QString& reason);
    void confirm(qint64 uploadedBytes);
    void forgetSession();
    bool fileUnchanged();

    JobRecord m_record;
    Context m_context;
    quint64 m_run = 0;
    // Shared with running coroutines: false once the job is being destroyed.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::unique_ptr<CancelToken> m_cancel;
    // The session as init answered it, for the run's first window; absent, the window
    // starts from the server's status.
    std::optional<SessionStatus> m_session;
    std::shared_ptr<HashProgress> m_hashProgress;
    // This run's hash while it has not been taken into the record.
    std::optional<QFuture<tl::expected<QString, QString>>> m_hashing;
    SpeedMeter m_speed;
    QElapsedTimer m_clock;
    QTimer m_ticker;   // refreshes the hashed bytes and the decaying speed
    int m_attempt = 0; // tries since the last answer that moved the job on
    std::optional<qint64> m_outageSinceMs;
    QDateTime m_nextTry;
};

} // namespace hoist

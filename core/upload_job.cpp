#include "upload_job.h"

#include "cancel_token.h"
#include "chunk_flight.h"
#include "chunk_pacer.h"
#include "chunk_window.h"
#include "file_hasher.h"
#include "file_identity.h"
#include "server_watch.h"

#include <QFileInfo>
#include <QMimeDatabase>

#include <QCoroFuture>
#include <QCoroTimer>

#include <algorithm>

namespace hoist {

using Kind = ProtocolError::Kind;

namespace {

// How often a waiting job looks whether its server answered a probe.
constexpr std::chrono::milliseconds kWaitSlice{200};

// The server has every byte: completing (or polling) finishes the job.
bool isFinishing(const QString& state) {
    return state == QLatin1String("finalizing") || state == QLatin1String("completed");
}

QString formatDuration(std::chrono::milliseconds duration) {
    const qint64 seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
    if (seconds >= 120)
        return QObject::tr("%1 min").arg(seconds / 60);
    return QObject::tr("%1 s").arg(seconds);
}

} // namespace

// Answers whether the run that holds it may still touch its job.
class UploadJob::RunGuard final {
  public:
    RunGuard(UploadJob* job, quint64 run) : m_job(job), m_alive(job->m_alive), m_run(run) {}
    bool current() const { return *m_alive && m_job->m_run == m_run; }

  private:
    UploadJob* m_job;
    std::shared_ptr<bool> m_alive;
    quint64 m_run;
};

UploadJob::UploadJob(JobRecord record, Context context, QObject* parent)
    : QObject(parent), m_record(std::move(record)), m_context(std::move(context)),
      m_cancel(std::make_unique<CancelToken>()) {
    m_clock.start();
    m_ticker.setInterval(250);
    connect(&m_ticker, &QTimer::timeout, this, &UploadJob::progressChanged);
}

UploadJob::~UploadJob() {
    // Runs resumed by the cancellation below must see a dead job first.
    *m_alive = false;
    stopRun();
}

QString UploadJob::fileName() const {
    return QFileInfo(m_record.path).fileName();
}

qint64 UploadJob::hashedBytes() const {
    if (!m_record.fingerprint.isEmpty())
        return m_record.size;
    return m_hashProgress ? m_hashProgress->hashedBytes.load(std::memory_order_relaxed) : 0;
}

double UploadJob::speed() const {
    return state() == JobState::Uploading ? m_speed.bytesPerSecondAt(m_clock.elapsed()) : 0.0;
}

qint64 UploadJob::etaSeconds() const {
    if (state() != JobState::Uploading)
        return -1;
    return m_speed.etaSecondsAt(m_record.size - m_record.confirmedBytes, m_clock.elapsed());
}

void UploadJob::setRetryPolicy(const RetryPolicy& policy) {
    m_context.retry = policy;
}

void UploadJob::setParallelChunks(int chunks) {
    m_context.parallelChunks = std::max(1, chunks);
}

void UploadJob::start() {
    if (state() != JobState::Queued)
        return;
    m_cancel = std::make_unique<CancelToken>();
    m_record.error.clear();
    m_session.reset();
    m_hashing.reset();
    // Detached on purpose: the run guards itself, and execute() lets no exception out.
    [[maybe_unused]] QCoro::Task<> detached = execute(++m_run);
}

void UploadJob::pause() {
    if (!canPause(state()))
        return;
    stopRun();
    setState(JobState::Paused);
}

void UploadJob::resume() {
    if (canResume(state()))
        setState(JobState::Queued);
}

void UploadJob::retry() {
    if (!canRetry(state()))
        return;
    m_record.error.clear();
    setState(JobState::Queued);
}

void UploadJob::stopRun() {
    ++m_run;
    m_cancel->cancel();
    if (m_hashProgress)
        m_hashProgress->cancelled = true;
}

void UploadJob::setState(JobState state) {
    if (m_record.state == state)
        return;
    m_record.state = state;
    if (state == JobState::Hashing || state == JobState::Uploading)
        m_ticker.start();
    else
        m_ticker.stop();
    if (state != JobState::Uploading)
        m_speed.reset();
    emit stateChanged(state);
    emit recordChanged();
}

void UploadJob::fail(QString reason) {
    m_record.error = std::move(reason);
    setState(JobState::Failed);
}

void UploadJob::failOn(const ProtocolError& error) {
    if (!error.isRetryable()) {
        fail(error.describe());
        return;
    }
    // Only an outage longer than the policy allows fails with a transient error.
    fail(tr("Gave up after waiting %1 for the server: %2")
             .arg(formatDuration(m_context.retry.maxWait), error.describe()));
}

void UploadJob::failUnreadable(const QString& reason) {
    fail(tr("Cannot read %1: %2; add it again once it is readable.").arg(m_record.path, reason));
}

void UploadJob::confirm(qint64 uploadedBytes) {
    const qint64 before = m_record.confirmedBytes;
    m_record.confirmedBytes = std::clamp<qint64>(uploadedBytes, 0, m_record.size);
    // Only bytes that moved end an outage: a server that answers the status but
    // never takes a chunk is still one that a retry does not get past.
    if (m_record.confirmedBytes > before)
        recovered();
    m_speed.sample(m_record.confirmedBytes, m_clock.elapsed());
    emit progressChanged();
    emit recordChanged();
}

void UploadJob::forgetSession() {
    m_session.reset();
    m_record.sessionId.clear();
    m_record.chunkSize = 0;
    m_record.confirmedBytes = 0;
    emit progressChanged();
    emit recordChanged();
}

bool UploadJob::fileUnchanged() {
    const auto now = FileIdentity::of(m_record.path);
    if (!now) {
        fail(tr("%1 is gone or no longer a regular file; add it again.").arg(m_record.path));
        return false;
    }
    if (now->size != m_record.size || now->modifiedMs != m_record.modifiedMs) {
        fail(tr("%1 changed since it was added; add it again.").arg(m_record.path));
        return false;
    }
    return true;
}

QCoro::Task<> UploadJob::execute(quint64 run) {
    const RunGuard guard(this, run);
    try {
        co_await steps(guard);
    } catch (const std::exception& error) {
        if (guard.current())
            fail(tr("internal error: %1").arg(QString::fromUtf8(error.what())));
    }
}

QCoro::Task<> UploadJob::steps(RunGuard guard) {
    if (!fileUnchanged())
        co_return;
    if (m_record.fingerprint.isEmpty()) {
        startHashing();
        const bool alongside = m_record.size >= m_context.hashAlongsideFrom;
        if (!alongside && !co_await awaitFingerprint(guard))
            co_return;
    }
    if (m_record.sessionId.isEmpty() && !co_await openSession(guard))
        co_return;
    while (true) {
        setState(JobState::Uploading);
        Step step = co_await uploadChunks(guard);
        if (step == Step::Next)
            step = co_await finalize(guard);
        if (step == Step::SessionLost) {
            // Expired or deleted on the server: the file is unchanged, so start over.
            forgetSession();
            if (!co_await openSession(guard))
                co_return;
            continue;
        }
        if (step != Step::Again)
            co_return;
    }
}

void UploadJob::startHashing() {
    m_hashProgress = std::make_shared<HashProgress>();
    m_hashing = hashFile(m_record.path, m_hashProgress);
}

QCoro::Task<bool> UploadJob::awaitFingerprint(RunGuard guard) {
    const QFuture<tl::expected<QString, QString>> hashing = *m_hashing;
    if (!hashing.isFinished())
        setState(JobState::Hashing);
    const auto digest = co_await hashing;
    if (!guard.current())
        co_return false;
    m_hashing.reset();
    if (!digest) {
        failUnreadable(digest.error());
        co_return false;
    }
    if (!fileUnchanged())
        co_return false;
    m_record.fingerprint = *digest;
    emit recordChanged();
    co_return true;
}

QCoro::Task<bool> UploadJob::settleFingerprint(RunGuard guard) {
    if (!m_hashing)
        co_return true;
    const JobState before = state();
    if (!co_await awaitFingerprint(guard))
        co_return false;
    if (!co_await checkDuplicate(guard))
        co_return false;
    setState(before);
    co_return true;
}

// Callers pass a named Call, never a lambda written inside the co_await expression:
// g++ 12 destroys such a lambda temporary twice (a double free of its captures).
template <typename T> QCoro::Task<Result<T>> UploadJob::withRetries(Call<T> call, RunGuard guard) {
    while (true) {
        Result<T> result = co_await call();
        if (!guard.current())
            co_return result;
        if (result)
            recovered();
        if (result || !result.error().isRetryable() || !co_await backOff(guard, result.error()))
            co_return result;
    }
}

UploadJob::Call<SessionStatus> UploadJob::statusCall() const {
    ProtocolClient* client = m_context.client;
    const QString sessionId = m_record.sessionId;
    return [client, sessionId] { return client->sessionStatus(sessionId); };
}

void UploadJob::recovered() {
    m_attempt = 0;
    m_outageSinceMs.reset();
    if (m_context.watch)
        m_context.watch->answered(m_context.client, m_record.server);
}

QCoro::Task<bool> UploadJob::backOff(RunGuard guard, ProtocolError error) {
    const RetryPolicy& policy = m_context.retry;
    const qint64 now = m_clock.elapsed();
    if (!m_outageSinceMs)
        m_outageSinceMs = now;
    qint64 delay = policy.randomDelay(m_attempt++).count();
    // The server knows best when it will be back (docs/protocol.md, 503 unavailable).
    if (error.retryAfter)
        delay = std::max<qint64>(delay, std::chrono::milliseconds(*error.retryAfter).count());
    if (policy.maxWait.count() > 0) {
        const qint64 left = *m_outageSinceMs + policy.maxWait.count() - now;
        if (left <= 0)
            co_return false;
        delay = std::min(delay, left); // one last try at the deadline
    }

    const JobState before = state();
    m_record.error = error.describe();
    m_nextTry = QDateTime::currentDateTime().addMSecs(delay);
    setState(JobState::Waiting);
    ServerWatch* watch = error.isUnreachable() ? m_context.watch : nullptr;
    const quint64 epoch = watch ? watch->lost(m_context.client, m_record.server) : 0;
    const qint64 until = now + delay;
    while (m_clock.elapsed() < until) {
        co_await QCoro::sleepFor(
            std::min(kWaitSlice, std::chrono::milliseconds(until - m_clock.elapsed())));
        if (!guard.current())
            co_return false;
        if (watch && watch->epoch(m_context.client) != epoch)
            break;
    }
    m_nextTry = {};
    m_record.error.clear();
    setState(before);
    co_return true;
}

QCoro::Task<bool> UploadJob::checkDuplicate(RunGuard guard) {
    ProtocolClient* client = m_context.client;
    const QString fingerprint = m_record.fingerprint;
    const qint64 size = m_record.size;
    CancelToken* cancel = m_cancel.get();
    const Call<DedupResult> dedup = [client, fingerprint, size, cancel] {
        return client->dedup(fingerprint, size, cancel);
    };
    const auto found = co_await withRetries(dedup, guard);
    if (!guard.current())
        co_return false;
    if (!found) {
        failOn(found.error());
        co_return false;
    }
    if (!found->checked)
        m_record.note = tr("Not checked for duplicates: the server's protocol (%1) has none.")
                            .arg(protocolName(m_record.protocol));
    if (!found->exists)
        co_return true;
    if (!m_record.sessionId.isEmpty()) {
        // Opened while the file was hashed: its bytes are not needed. A session the
        // server could not delete now expires by itself.
        const QString sessionId = std::exchange(m_record.sessionId, QString());
        m_session.reset();
        [[maybe_unused]] const auto aborted = co_await client->abortSession(sessionId);
        if (!guard.current())
            co_return false;
    }
    m_record.fileId = found->fileId;
    m_record.confirmedBytes = m_record.size;
    setState(JobState::DoneDuplicate);
    co_return false;
}

QCoro::Task<bool> UploadJob::openSession(RunGuard guard) {
    setState(JobState::Checking);
    // A file hashed alongside its upload is checked for duplicates once its hash is
    // known (settleFingerprint).
    if (!m_record.fingerprint.isEmpty() && !co_await checkDuplicate(guard))
        co_return false;
    ProtocolClient* client = m_context.client;
    const QString fingerprint = m_record.fingerprint;
    const qint64 size = m_record.size;

    // The window asked for is twice the chunks sent at once: the window counts from the
    // prefix, so with a window of just the chunks in flight every chunk acknowledged
    // while the one at the prefix was still going had no chunk to replace it.
    NewSession request{
        fileName(), size,
        QMimeDatabase().mimeTypeForFile(m_record.path, QMimeDatabase::MatchExtension).name(),
        fingerprint, m_context.parallelChunks > 1 ? 2 * m_context.parallelChunks : 0};
    const Call<SessionStatus> create = [client, request] { return client->createSession(request); };
    const auto session = co_await withRetries(create, guard);
    if (!guard.current())
        co_return false;
    if (!session) {
        failOn(session.error());
        co_return false;
    }
    m_record.sessionId = session->sessionId;
    m_record.chunkSize = session->chunkSize;
    m_session = *session;
    confirm(session->uploadedBytes);
    co_return true;
}

QCoro::Task<UploadJob::Step> UploadJob::uploadChunks(RunGuard guard) {
    if (!m_session) {
        const Call<SessionStatus> status = statusCall();
        const auto current = co_await withRetries(status, guard);
        if (!guard.current())
            co_return Step::Stop;
        if (!current) {
            if (current.error().kind == Kind::NotFound)
                co_return Step::SessionLost;
            failOn(current.error());
            co_return Step::Stop;
        }
        m_session = *current;
    }
    const SessionStatus session = *std::exchange(m_session, std::nullopt);
    if (isFinishing(session.state))
        co_return Step::Next;
    ChunkWindow window(m_record.size, session.chunkSize, session.parallelChunks,
                       m_context.parallelChunks);
    window.adopt(session.uploadedBytes, session.storedChunks);
    confirm(window.confirmedBytes());
    ChunkPacer pacer;
    while (true) {
        const Round round = co_await sendWindow(guard, window, pacer);
        if (!guard.current())
            co_return Step::Stop;
        if (!round.loss)
            co_return round.step;
        // A chunk acknowledged since the failure shows a server that takes chunks (a
        // connection lost on the way): go on at once, with the smaller window.
        if (!round.acked && !co_await backOff(guard, *round.loss)) {
            if (guard.current())
                failOn(*round.loss);
            co_return Step::Stop;
        }
        // Whatever happened to the failed chunks, ask where the server is before resending.
        const auto status = co_await m_context.client->sessionStatus(m_record.sessionId);
        if (!guard.current())
            co_return Step::Stop;
        if (status) {
            if (isFinishing(status->state))
                co_return Step::Next;
            window.adopt(status->uploadedBytes, status->storedChunks);
            confirm(window.confirmedBytes());
        } else if (status.error().kind == Kind::NotFound) {
            co_return Step::SessionLost;
        }
    }
}

QCoro::Task<UploadJob::Round> UploadJob::sendWindow(RunGuard guard, ChunkWindow& window,
                                                    ChunkPacer& pacer) {
    const auto flight = ChunkFlight::create(*m_cancel);
    Round round;
    // Ends the round; chunks still in flight are aborted, their answers unread.
    const auto stop = [&flight, &round](Step step) {
        flight->cancel();
        round.step = step;
        round.loss.reset();
        return round;
    };
    while (true) {
        // After a failure no chunk is sent until the others settled and the job
        // waited, so that an unreachable server gets one backoff, not one per chunk.
        std::optional<std::chrono::milliseconds> paced;
        if (!round.loss && !window.finished()) {
            if (!fileUnchanged())
                co_return stop(Step::Stop);
            while (window.inFlight() < window.window()) {
                const auto now = ChunkPacer::Clock::now();
                const auto delay = pacer.delay(window.window(), now);
                if (window.inFlight() > 0 && delay > ChunkPacer::Clock::duration::zero()) {
                    paced = std::chrono::ceil<std::chrono::milliseconds>(delay);
                    break;
                }
                const auto chunk = window.take();
                if (!chunk)
                    break;
                pacer.started(chunk->offset, now);
                flight->launch(m_context.client, m_record.path, m_record.sessionId, *chunk);
            }
        }
        if (window.inFlight() == 0)
            co_return round;
        const auto settled = co_await flight->next(paced);
        if (!guard.current())
            co_return stop(Step::Stop);
        if (!settled)
            continue; // the pacer's delay passed: the next chunk may start
        const ChunkFlight::Outcome& outcome = *settled;
        if (!outcome.unreadable.isEmpty()) {
            failUnreadable(outcome.unreadable);
            co_return stop(Step::Stop);
        }
        if (outcome.answer)
            pacer.acknowledged(outcome.offset, ChunkPacer::Clock::now());
        else
            pacer.dropped(outcome.offset);
        if (outcome.answer) {
            window.acknowledged(outcome.offset, outcome.answer->uploadedBytes,
                                outcome.answer->storedChunks);
            if (round.loss)
                round.acked = true;
            confirm(window.confirmedBytes());
            if (m_hashing && m_hashing->isFinished() && !co_await settleFingerprint(guard))
                co_return stop(Step::Stop);
            continue;
        }
        const ProtocolError& error = outcome.answer.error();
        if (error.kind == Kind::OffsetMismatch && error.uploadedBytes &&
            window.mismatched(outcome.offset, *error.uploadedBytes, error.storedChunks) !=
                ChunkWindow::Mismatch::Refused) {
            // The offset handshake: the server's state is the truth, adopt it.
            confirm(window.confirmedBytes());
            continue;
        }
        // The server has every byte already: completing (or polling) finishes the job.
        if (error.kind == Kind::Completed || error.kind == Kind::Finalizing)
            co_return stop(Step::Next);
        if (error.kind == Kind::NotFound)
            co_return stop(Step::SessionLost);
        if (!error.isRetryable()) {
            failOn(error);
            co_return stop(Step::Stop);
        }
        window.failed(outcome.offset);
        if (!round.loss)
            round.loss = error;
    }
}

QCoro::Task<UploadJob::Step> UploadJob::finalize(RunGuard guard) {
    if (!fileUnchanged() || !co_await settleFingerprint(guard))
        co_return Step::Stop;
    setState(JobState::Finalizing);
    ProtocolClient* client = m_context.client;
    const QString sessionId = m_record.sessionId;
    const QString fingerprint = m_record.fingerprint;
    const Call<Completion> complete = [client, sessionId, fingerprint] {
        return client->complete(sessionId, fingerprint);
    };
    const auto completion = co_await withRetries(complete, guard);
    if (!guard.current())
        co_return Step::Stop;
    if (!completion) {
        const ProtocolError& error = completion.error();
        switch (error.kind) {
        case Kind::Incomplete:
            confirm(error.uploadedBytes.value_or(0));
            co_return Step::Again;
        case Kind::NotFound:
            co_return Step::SessionLost;
        case Kind::FingerprintMismatch:
            forgetSession();
            fail(tr("%1 changed while it was uploading; add it again.").arg(m_record.path));
            co_return Step::Stop;
        default:
            failOn(error);
            co_return Step::Stop;
        }
    }

    const Call<SessionStatus> poll = statusCall();
    Completion done = *completion;
    while (done.finalizing) {
        // The server is still finalizing (a slow callback): poll the session.
        co_await QCoro::sleepFor(m_context.finalizePollInterval);
        if (!guard.current())
            co_return Step::Stop;
        const auto status = co_await withRetries(poll, guard);
        if (!guard.current())
            co_return Step::Stop;
        if (!status) {
            failOn(status.error());
            co_return Step::Stop;
        }
        if (status->state == QLatin1String("failed")) {
            fail(tr("The server could not finalize %1.").arg(fileName()));
            co_return Step::Stop;
        }
        if (status->state == QLatin1String("completed"))
            done = Completion{false, status->fileId};
    }
    m_record.fileId = done.fileId;
    confirm(m_record.size);
    setState(JobState::Done);
    co_return Step::Next;
}

} // namespace hoist

#pragma once

#include "job_state.h"
#include "settings.h"
#include "upload_job.h"

#include <QTest>

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

// Helpers shared by the integration tests: files of random bytes, and what the
// server holds, read back over its public API.
namespace test_support {

// A file of `size` random bytes at `path`.
QByteArray writeRandomFile(const QString& path, qint64 size);

// GET /files/{fileId}/content with the token; nothing on failure.
std::optional<QByteArray> download(const QUrl& server, const QString& token, const QString& fileId);

// The HTTP status of a GET (0 for a transport error).
int httpStatus(const QUrl& url, const QString& token);

// Runs a real event loop until the job is done or failed. Unlike QTRY_*, which
// sleeps between event passes, this keeps timers punctual (the bandwidth limiter).
void runUntilSettled(const hoist::UploadJob& job, int timeoutMs);

// A value of hoistd's /metrics (the first line starting with `series`); -1 when absent.
double metric(const QUrl& server, const QString& series);

// Engine settings for tests: short retry delays and transfer timeout, one job at a time.
hoist::Settings fastSettings(const QUrl& server);

} // namespace test_support

// QCOMPARE prints job states by name.
template <> inline char* QTest::toString(const hoist::JobState& state) {
    return qstrdup(qPrintable(hoist::jobStateName(state)));
}

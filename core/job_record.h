#pragma once

#include "job_state.h"
#include "protocol.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <optional>

namespace hoist {

// Everything about one job that survives a restart (docs/architecture.md, QueueStore): the
// file's identity, the server and session, and how far it got.
struct JobRecord {
    QString path;
    qint64 size = 0;
    qint64 modifiedMs = 0;
    QUrl server;
    Protocol protocol = Protocol::Native;
    JobState state = JobState::Queued;
    QString fingerprint;       // hex SHA-256 once hashed: never hashed twice
    QString sessionId;         // once the server opened a session (tus: the upload URL)
    qint64 chunkSize = 0;      // the session's chunk size
    qint64 confirmedBytes = 0; // server-confirmed: uploadedBytes plus chunks stored beyond
    QString fileId;            // once done, when the protocol names one (tus does not)
    QString error;             // why it failed
    QString note;              // what a person should know that is no failure

    QJsonObject toJson() const;
    // Nothing for a record this version cannot use.
    static std::optional<JobRecord> fromJson(const QJsonObject& json);
};

} // namespace hoist

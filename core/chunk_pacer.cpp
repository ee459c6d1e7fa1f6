#include "chunk_pacer.h"

#include <algorithm>

namespace hoist {

void ChunkPacer::started(qint64 offset, Clock::time_point now) {
    m_started[offset] = now;
    m_lastStart = now;
}

void ChunkPacer::acknowledged(qint64 offset, Clock::time_point now) {
    const auto start = m_started.find(offset);
    if (start == m_started.end())
        return;
    const Clock::duration taken = now - start->second;
    m_started.erase(start);
    // A quarter of each new answer: the mean follows a link that changes within a few
    // windows without jumping at one slow chunk.
    m_meanChunkTime = m_meanChunkTime ? (*m_meanChunkTime * 3 + taken) / 4 : taken;
}

void ChunkPacer::dropped(qint64 offset) {
    m_started.erase(offset);
}

ChunkPacer::Clock::duration ChunkPacer::delay(int window, Clock::time_point now) const {
    if (!m_meanChunkTime || !m_lastStart || window < 2)
        return Clock::duration::zero();
    const Clock::time_point allowed = *m_lastStart + *m_meanChunkTime / (2 * window);
    return std::max(Clock::duration::zero(), allowed - now);
}

} // namespace hoist

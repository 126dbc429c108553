/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sentences.h: every sentence siptxn says to a learner, in English and Russian,
 * read from plugin/catalog/sentences.ini (embedded at build time): the
 * narrative, the ACK class sentences and what decided a class, the notes on a
 * reason phrase, the expert infos and the words of the Info column.
 *
 * A sentence holds {name} placeholders; sentence_append() fills them in.  The
 * list below is the contract between the code and the data file: every group
 * of the file is one of these, every one of these is in the file in both
 * languages, and both languages use the same placeholders, each one of those
 * listed here.  The loader refuses data that breaks it. */
#ifndef SIPTXN_SENTENCES_H
#define SIPTXN_SENTENCES_H

#include <glib.h>

#include "catalog.h"

/* XXX(id, group in sentences.ini, the placeholders it may use) */
#define SIPTXN_SENTENCE_LIST(XXX)                                                                           \
    /* the narrative: requests */                                                                           \
    XXX(SENTENCE_REQUEST_INVITE, "narrative.request.invite", "transaction")                                 \
    XXX(SENTENCE_REQUEST_INVITE_RELIABLE, "narrative.request.invite_reliable", "transaction")               \
    XXX(SENTENCE_REQUEST_OTHER, "narrative.request.other", "method transaction")                            \
    XXX(SENTENCE_REQUEST_UNMATCHABLE, "narrative.request.unmatchable", "method transaction")                \
    XXX(SENTENCE_REQUEST_COPY, "narrative.request.copy", "method frame transaction")                        \
    XXX(SENTENCE_REQUEST_COPY_2543, "narrative.request.copy_2543", "method frame transaction")              \
    XXX(SENTENCE_REQUEST_COPY_OF_UNSEEN, "narrative.request.copy_of_unseen", "method transaction")          \
    XXX(SENTENCE_REQUEST_PRACK, "narrative.request.prack", "frame rseq transaction")                        \
    XXX(SENTENCE_REQUEST_PRACK_UNMATCHED, "narrative.request.prack_unmatched", "rseq transaction")          \
    XXX(SENTENCE_CANCEL, "narrative.cancel", "frame transaction invite_transaction")                        \
    XXX(SENTENCE_CANCEL_OF_UNSEEN, "narrative.cancel.of_unseen", "transaction")                             \
    /* the narrative: responses */                                                                          \
    XXX(SENTENCE_RESPONSE_UNMATCHABLE, "narrative.response.unmatchable", "code transaction")                \
    XXX(SENTENCE_PROVISIONAL_INVITE, "narrative.provisional.invite", "code transaction")                    \
    XXX(SENTENCE_PROVISIONAL_OTHER, "narrative.provisional.other", "code transaction")                      \
    XXX(SENTENCE_PROVISIONAL_RELIABLE, "narrative.provisional.reliable", "code rseq transaction")           \
    XXX(SENTENCE_PROVISIONAL_RELIABLE_COPY, "narrative.provisional.reliable_copy", "code frame rseq transaction") \
    XXX(SENTENCE_PROVISIONAL_COPY, "narrative.provisional.copy", "code frame transaction")                  \
    XXX(SENTENCE_FINAL_INVITE_ACCEPTED, "narrative.final.invite_accepted", "code transaction")              \
    XXX(SENTENCE_FINAL_INVITE_ACCEPTED_RFC3261, "narrative.final.invite_accepted_rfc3261", "code transaction") \
    XXX(SENTENCE_FINAL_INVITE_REJECTED, "narrative.final.invite_rejected", "code transaction")              \
    XXX(SENTENCE_FINAL_OTHER, "narrative.final.other", "code method transaction")                           \
    XXX(SENTENCE_FINAL_INVITE_COPY, "narrative.final.invite_copy", "code frame transaction")                \
    XXX(SENTENCE_FINAL_INVITE_2XX_COPY, "narrative.final.invite_2xx_copy", "code frame transaction")        \
    XXX(SENTENCE_FINAL_OTHER_COPY, "narrative.final.other_copy", "code frame transaction")                  \
    XXX(SENTENCE_FINAL_LATE_INVITE, "narrative.final.late_invite", "")                                      \
    XXX(SENTENCE_FINAL_LATE_FORKED, "narrative.final.late_forked", "")                                      \
    XXX(SENTENCE_FINAL_LATE_OTHER, "narrative.final.late_other", "")                                        \
    /* the narrative: ACKs */                                                                               \
    XXX(SENTENCE_ACK_NON_2XX, "narrative.ack.non_2xx", "code frame transaction branch")                     \
    XXX(SENTENCE_ACK_NON_2XX_2543, "narrative.ack.non_2xx_2543", "code frame transaction")                  \
    XXX(SENTENCE_ACK_NON_2XX_OTHER_BRANCH, "narrative.ack.non_2xx_other_branch", "code frame transaction branch") \
    XXX(SENTENCE_ACK_NON_2XX_BY_BRANCH, "narrative.ack.non_2xx_by_branch", "transaction")                   \
    XXX(SENTENCE_ACK_2XX, "narrative.ack.2xx", "code frame transaction invite_transaction")                  \
    XXX(SENTENCE_ACK_2XX_SAME_BRANCH, "narrative.ack.2xx_same_branch", "code frame transaction invite_transaction") \
    XXX(SENTENCE_ACK_2XX_WITHOUT_FINAL, "narrative.ack.2xx_without_final", "transaction invite_transaction branch") \
    XXX(SENTENCE_ACK_2XX_WHILE_ACCEPTED, "narrative.ack.2xx_while_accepted", "invite_transaction")          \
    XXX(SENTENCE_ACK_2XX_AFTER_ACCEPTED, "narrative.ack.2xx_after_accepted", "invite_transaction")          \
    XXX(SENTENCE_ACK_2XX_RFC3261, "narrative.ack.2xx_rfc3261", "invite_transaction")                        \
    XXX(SENTENCE_ACK_UNKNOWN, "narrative.ack.unknown", "transaction")                                       \
    XXX(SENTENCE_ACK_COPY, "narrative.ack.copy", "frame")                                                   \
    /* the narrative: duplicates, in duplicate_reason order */                                              \
    XXX(SENTENCE_DUPLICATE_SAME_PACKET, "narrative.duplicate.same_packet", "frame interval transaction")    \
    XXX(SENTENCE_DUPLICATE_SECOND_CAPTURE_POINT, "narrative.duplicate.second_capture_point",                \
        "frame interval ttl transaction")                                                                   \
    XXX(SENTENCE_DUPLICATE_TCP_RESEND, "narrative.duplicate.tcp_resend", "frame transaction")               \
    /* the ACK class, and what decided it (ack_evidence) */                                                 \
    XXX(SENTENCE_ACK_CLASS_UNKNOWN, "ack_class.unknown", "")                                                \
    XXX(SENTENCE_ACK_CLASS_NON_2XX, "ack_class.non_2xx", "")                                                \
    XXX(SENTENCE_ACK_CLASS_2XX, "ack_class.2xx", "")                                                        \
    XXX(SENTENCE_EVIDENCE_NONE, "evidence.none", "")                                                        \
    XXX(SENTENCE_EVIDENCE_FINAL_RESPONSE, "evidence.final_response", "")                                    \
    XXX(SENTENCE_EVIDENCE_BRANCH_ONLY, "evidence.branch_only", "")                                          \
    XXX(SENTENCE_EVIDENCE_NO_INVITE, "evidence.no_invite", "")                                              \
    XXX(SENTENCE_EVIDENCE_NO_FINAL_NEW_BRANCH, "evidence.no_final_new_branch", "")                          \
    /* notes on the reason phrase sent */                                                                   \
    XXX(SENTENCE_NOTE_UNKNOWN_PHRASE, "note.unknown_phrase", "")                                            \
    XXX(SENTENCE_NOTE_WORD_RULE, "note.word_rule", "word")                                                  \
    XXX(SENTENCE_NOTE_UNKNOWN_CODE, "note.unknown_code", "")                                                \
    XXX(SENTENCE_NOTE_EMPTY_PHRASE, "note.empty_phrase", "")                                                \
    /* the Info column: "txn 3 · ACK non-2xx"; roles in message_role order, ACK classes in ack_class order */ \
    XXX(SENTENCE_INFO_LABEL, "info.label", "transaction role")                                              \
    XXX(SENTENCE_INFO_ACK_LABEL, "info.ack_label", "transaction role ack_class")                            \
    XXX(SENTENCE_ROLE_REQUEST, "role.request", "")                                                          \
    XXX(SENTENCE_ROLE_REQUEST_RETRANSMISSION, "role.request_retransmission", "")                            \
    XXX(SENTENCE_ROLE_PROVISIONAL, "role.provisional", "")                                                  \
    XXX(SENTENCE_ROLE_PROVISIONAL_RETRANSMISSION, "role.provisional_retransmission", "")                    \
    XXX(SENTENCE_ROLE_FINAL, "role.final", "")                                                              \
    XXX(SENTENCE_ROLE_FINAL_RETRANSMISSION, "role.final_retransmission", "")                                \
    XXX(SENTENCE_ROLE_ACK, "role.ack", "")                                                                  \
    XXX(SENTENCE_ROLE_ACK_RETRANSMISSION, "role.ack_retransmission", "")                                    \
    XXX(SENTENCE_ROLE_CANCEL, "role.cancel", "")                                                            \
    XXX(SENTENCE_ROLE_CANCEL_RETRANSMISSION, "role.cancel_retransmission", "")                              \
    XXX(SENTENCE_ROLE_DUPLICATE, "role.duplicate", "")                                                      \
    XXX(SENTENCE_ROLE_PROVISIONAL_RELIABLE, "role.provisional_reliable", "rseq")                            \
    XXX(SENTENCE_ROLE_PROVISIONAL_RELIABLE_RETRANSMISSION, "role.provisional_reliable_retransmission", "rseq") \
    XXX(SENTENCE_INFO_ACK_CLASS_UNKNOWN, "info.ack_class.unknown", "")                                      \
    XXX(SENTENCE_INFO_ACK_CLASS_NON_2XX, "info.ack_class.non_2xx", "")                                      \
    XXX(SENTENCE_INFO_ACK_CLASS_2XX, "info.ack_class.2xx", "")                                              \
    /* the flow graph's comments (ladder.c): "txn 3 · request" is info.label */                            \
    XXX(SENTENCE_LADDER_ACK_NON_2XX, "ladder.ack_non_2xx", "transaction")                                   \
    XXX(SENTENCE_LADDER_ACK_2XX, "ladder.ack_2xx", "transaction")                                           \
    XXX(SENTENCE_LADDER_ACK_2XX_FOR, "ladder.ack_2xx_for", "transaction invite_transaction")                \
    XXX(SENTENCE_LADDER_ACK_UNKNOWN, "ladder.ack_unknown", "transaction")                                   \
    XXX(SENTENCE_LADDER_CANCEL_OF, "ladder.cancel_of", "transaction")                                       \
    XXX(SENTENCE_LADDER_FORWARDED_FROM, "ladder.forwarded_from", "transaction")                             \
    XXX(SENTENCE_LADDER_RETRANSMISSION, "ladder.retransmission", "number frame")                            \
    XXX(SENTENCE_LADDER_RETRANSMISSION_OF_UNSEEN, "ladder.retransmission_of_unseen", "")                    \
    XXX(SENTENCE_LADDER_PRACK_OF, "ladder.prack_of", "rseq frame")                                          \
    XXX(SENTENCE_LADDER_DUPLICATE, "ladder.duplicate", "frame")                                             \
    XXX(SENTENCE_LADDER_INTERVAL, "ladder.interval", "interval")                                            \
    XXX(SENTENCE_LADDER_INTERVAL_TIMER, "ladder.interval_timer", "interval timer expected")                 \
    /* expert infos: the group is the expert field's name without "siptxn." */                              \
    XXX(SENTENCE_EXPERT_NO_VIA, "expert.malformed.no_via", "")                                              \
    XXX(SENTENCE_EXPERT_NO_SENT_BY, "expert.malformed.no_sent_by", "")                                      \
    XXX(SENTENCE_EXPERT_EMPTY_BRANCH, "expert.malformed.empty_branch", "")                                  \
    XXX(SENTENCE_EXPERT_NO_CSEQ, "expert.malformed.no_cseq", "")                                            \
    XXX(SENTENCE_EXPERT_BAD_CSEQ, "expert.malformed.bad_cseq", "")                                          \
    XXX(SENTENCE_EXPERT_NO_CALL_ID, "expert.malformed.no_call_id", "")                                      \
    XXX(SENTENCE_EXPERT_BAD_STATUS, "expert.malformed.bad_status", "")                                      \
    XXX(SENTENCE_EXPERT_NO_CSEQ_METHOD, "expert.malformed.no_cseq_method", "")                              \
    XXX(SENTENCE_EXPERT_RESPONSE_WITHOUT_REQUEST, "expert.response_without_request", "")                    \
    XXX(SENTENCE_EXPERT_RETRANSMISSION, "expert.retransmission", "")                                        \
    XXX(SENTENCE_EXPERT_UNANSWERED, "expert.unanswered", "")                                                \
    XXX(SENTENCE_EXPERT_FINAL_LATE, "expert.final_late", "")                                                \
    XXX(SENTENCE_EXPERT_FINAL_RETRANSMITTED, "expert.final_retransmitted", "")                              \
    XXX(SENTENCE_EXPERT_CSEQ_METHOD_MISMATCH, "expert.cseq_method_mismatch", "")                            \
    XXX(SENTENCE_EXPERT_CSEQ_NUMBER_MISMATCH, "expert.cseq_number_mismatch", "")                            \
    XXX(SENTENCE_EXPERT_RFC2543, "expert.rfc2543", "")                                                      \
    XXX(SENTENCE_EXPERT_UDP_TOO_LARGE, "expert.udp_too_large", "")                                          \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_TOO_EARLY, "expert.retransmission.too_early", "")                    \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_NOT_DOUBLED, "expert.retransmission.not_doubled", "")                \
    XXX(SENTENCE_EXPERT_ADDITIONAL_FINAL, "expert.additional_final", "")                                    \
    XXX(SENTENCE_EXPERT_ACK_BRANCH_MISMATCH, "expert.ack.branch_mismatch", "")                              \
    XXX(SENTENCE_EXPERT_ACK_2XX_REUSES_BRANCH, "expert.ack.2xx_reuses_branch", "")                          \
    XXX(SENTENCE_EXPERT_ACK_CSEQ_NUMBER, "expert.ack.cseq_number", "")                                      \
    XXX(SENTENCE_EXPERT_ACK_CSEQ_METHOD, "expert.ack.cseq_method", "")                                      \
    XXX(SENTENCE_EXPERT_ACK_HEADERS_DIFFER, "expert.ack.headers_differ", "")                                \
    XXX(SENTENCE_EXPERT_ACK_TO_TAG_DIFFERS, "expert.ack.to_tag_differs", "")                                \
    XXX(SENTENCE_EXPERT_ACK_UNPROMPTED, "expert.ack.unprompted_retransmission", "")                         \
    XXX(SENTENCE_EXPERT_FINAL_UNACKNOWLEDGED, "expert.final_unacknowledged", "")                            \
    XXX(SENTENCE_EXPERT_ACK_LATE, "expert.ack.late", "")                                                    \
    XXX(SENTENCE_EXPERT_ACK_TRANSPORT_CHANGED, "expert.ack.transport_changed", "")                          \
    XXX(SENTENCE_EXPERT_ACK_WITHOUT_INVITE, "expert.ack.without_invite", "")                                \
    XXX(SENTENCE_EXPERT_PRACK_UNMATCHED, "expert.prack.unmatched", "")                                      \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_DIFFERS, "expert.retransmission.differs", "")                        \
    XXX(SENTENCE_EXPERT_DUPLICATE, "expert.duplicate", "")                                                  \
    XXX(SENTENCE_EXPERT_NONSTANDARD_PHRASE, "expert.reason.nonstandard", "")                                \
    /* expert infos that say more about this message than their summary */                                 \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_OF, "expert_detail.retransmission", "number frame")                  \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_OF_UNSEEN, "expert_detail.retransmission_of_unseen", "")             \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_TIMER, "expert_detail.retransmission_timer",                         \
        "interval expected timer section")                                                                  \
    XXX(SENTENCE_EXPERT_RETRANSMISSION_TIMER_NOT_DOUBLED, "expert_detail.retransmission_timer_not_doubled", \
        "interval expected timer section")                                                                  \
    XXX(SENTENCE_EXPERT_DUPLICATE_SAME_PACKET, "expert_detail.duplicate.same_packet", "frame interval")     \
    XXX(SENTENCE_EXPERT_DUPLICATE_SECOND_CAPTURE_POINT, "expert_detail.duplicate.second_capture_point",     \
        "frame interval ttl")                                                                               \
    XXX(SENTENCE_EXPERT_DUPLICATE_TCP_RESEND, "expert_detail.duplicate.tcp_resend", "frame")                \
    XXX(SENTENCE_EXPERT_RELIABLE_PROVISIONAL_TIMER, "expert_detail.reliable_provisional_timer",             \
        "interval expected")                                                                                \
    XXX(SENTENCE_EXPERT_FINAL_LATE_FORKED, "expert_detail.final_late_forked", "")                           \
    XXX(SENTENCE_EXPERT_NONSTANDARD_PHRASE_OF, "expert_detail.nonstandard_phrase", "phrase code standard")

#define SIPTXN_SENTENCE_ENUM_MEMBER(id, group, placeholders) id,
typedef enum { SIPTXN_SENTENCE_LIST(SIPTXN_SENTENCE_ENUM_MEMBER) SENTENCE_COUNT } sentence_id;

typedef struct sentences sentences;

/* Parses sentences in sentences.ini's format; the data need not be NUL-terminated. */
sentences *sentences_new_from_data(const char *data, gsize length, GError **error);
void sentences_free(sentences *self);

/* The embedded sentences.ini, parsed on first use and kept.  Never NULL: were
 * the data unusable (the unit tests make sure it is not), every sentence would
 * read as its group's name. */
const sentences *sentences_builtin(void);

/* The embedded sentences.ini text (not NUL-counted in length). */
const char *sentences_builtin_data(gsize *length);

/* The languages of the data: English is 1, Russian 2, then the others in the
 * order they first appear (as in the reason catalog, catalog.h: a language is
 * added to reasons.ini and sentences.ini alike), and a language's code
 * ("en", "ru", "eo"; NULL if the data has no such language). */
unsigned sentences_language_count(const sentences *self);
const char *sentences_language_code(const sentences *self, siptxn_language language);

/* The sentence with its placeholders, in that language (AUTO, or a language
 * the data lacks: English). */
const char *sentence_text(const sentences *self, sentence_id id, siptxn_language language);

/* The group name of a sentence in sentences.ini; the sentence whose group is
 * group (SENTENCE_COUNT if none). */
const char *sentence_group(sentence_id id);
sentence_id sentence_find(const char *group);

/* One value for a {name} placeholder: a text, or a number. */
typedef struct {
    const char *name;
    const char *text;
    guint number;
    gboolean is_text;
} sentence_value;

#define SENTENCE_NUMBER(placeholder, value) { (placeholder), NULL, (value), FALSE }
#define SENTENCE_TEXT(placeholder, value) { (placeholder), (value), 0, TRUE }

/* Appends the sentence with each {name} replaced by its value ("?" for a NULL
 * text); a placeholder without a value is left as it stands. */
void sentence_append(GString *text, const sentences *self, sentence_id id, siptxn_language language,
                     const sentence_value *values, guint count);

#endif /* SIPTXN_SENTENCES_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* names.h: the values and names of transaction kinds, transaction states,
 * message roles and ACK classes, one list each.
 *
 * Each list makes the core's C enum (transaction.h), its name function
 * (transaction_kind_name, ...) and the shell's value_string table
 * (VALUE_STRING_ARRAY in packet-siptxn.c, which `tshark -G values` prints and
 * scripts/siptxn-check reads).  A name is changed here and nowhere else.
 * The lists follow Wireshark's epan/value_string.h convention:
 * XXX(enum name, value, display name). */
#ifndef SIPTXN_NAMES_H
#define SIPTXN_NAMES_H

/* What kind of state machine a transaction follows (RFC 3261 §17.1.1,
 * §17.1.2).  An ACK to a 2xx is a transaction of its own without responses
 * (§17.1.1.3). */
#define siptxn_kind_names_VALUE_STRING_LIST(XXX)                  \
    XXX(TRANSACTION_KIND_INVITE, 1, "INVITE")                     \
    XXX(TRANSACTION_KIND_NON_INVITE, 2, "non-INVITE")             \
    XXX(TRANSACTION_KIND_ACK, 3, "ACK")

/* Client/server transaction states of RFC 3261 §17, as far as the wire
 * shows them, and the Accepted state RFC 6026 §7.1/§7.2 adds: an INVITE
 * transaction that got a 2xx waits there 64*T1 (Timers L and M) for re-sent
 * and forked 2xx responses instead of ending at once.  An ACK's own
 * transaction has none (TRANSACTION_STATE_NONE, 0, not a state:
 * transaction.h), and no siptxn.state field. */
#define siptxn_state_names_VALUE_STRING_LIST(XXX)                 \
    XXX(TRANSACTION_STATE_CALLING, 1, "Calling")                  \
    XXX(TRANSACTION_STATE_TRYING, 2, "Trying")                    \
    XXX(TRANSACTION_STATE_PROCEEDING, 3, "Proceeding")            \
    XXX(TRANSACTION_STATE_COMPLETED, 4, "Completed")              \
    XXX(TRANSACTION_STATE_CONFIRMED, 5, "Confirmed")              \
    XXX(TRANSACTION_STATE_TERMINATED, 6, "Terminated")            \
    XXX(TRANSACTION_STATE_ACCEPTED, 7, "Accepted")

/* The part a message plays in its transaction.  A duplicate is the same
 * packet seen twice by the capture (two capture points, a mirror port) or a
 * segment TCP re-sent: not a SIP retransmission. */
#define siptxn_role_names_VALUE_STRING_LIST(XXX)                                        \
    XXX(MESSAGE_ROLE_REQUEST, 1, "request")                                             \
    XXX(MESSAGE_ROLE_REQUEST_RETRANSMISSION, 2, "request retransmission")               \
    XXX(MESSAGE_ROLE_PROVISIONAL, 3, "provisional response")                            \
    XXX(MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION, 4, "provisional response retransmission") \
    XXX(MESSAGE_ROLE_FINAL, 5, "final response")                                        \
    XXX(MESSAGE_ROLE_FINAL_RETRANSMISSION, 6, "final response retransmission")          \
    XXX(MESSAGE_ROLE_ACK, 7, "ACK")                                                     \
    XXX(MESSAGE_ROLE_ACK_RETRANSMISSION, 8, "ACK retransmission")                       \
    XXX(MESSAGE_ROLE_CANCEL, 9, "CANCEL")                                               \
    XXX(MESSAGE_ROLE_CANCEL_RETRANSMISSION, 10, "CANCEL retransmission")                \
    XXX(MESSAGE_ROLE_DUPLICATE, 11, "duplicate")

/* Which of the two ACKs of RFC 3261 an ACK is: non-2xx is part of the INVITE
 * transaction, sent hop by hop (§17.1.1.3); 2xx is a transaction of its own,
 * sent end to end (§13.2.2.4). */
#define siptxn_ack_class_names_VALUE_STRING_LIST(XXX)             \
    XXX(ACK_CLASS_UNKNOWN, 0, "unknown")                          \
    XXX(ACK_CLASS_NON_2XX, 1, "non-2xx")                          \
    XXX(ACK_CLASS_2XX, 2, "2xx")

/* The core's expansions: an enum member, and a case of a name function. */
#define SIPTXN_ENUM_MEMBER(name, value, text) name = value,
#define SIPTXN_NAME_CASE(name, value, text) \
    case name:                              \
        return text;

#endif /* SIPTXN_NAMES_H */

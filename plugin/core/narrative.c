/* SPDX-License-Identifier: GPL-2.0-or-later */
/* narrative.c: the learner's sentences for each role and ACK class, in English
 * and Russian.  Both languages take their arguments in the same order. */

#include "narrative.h"
#include "textformat.h"

/* One sentence pattern in both languages. */
typedef struct {
    const char *english;
    const char *russian;
} sentence;

static const sentence INVITE_REQUEST = {
    "This INVITE opens INVITE transaction %u. Over UDP the client re-sends it after T1, 2*T1, 4*T1... "
    "until a response arrives (Timer A, RFC 3261 \xC2\xA7" "17.1.1.2).",
    "Этот INVITE открывает INVITE-транзакцию %u. По UDP клиент повторяет его через T1, 2*T1, 4*T1... "
    "пока не придёт ответ (таймер A, RFC 3261 \xC2\xA7" "17.1.1.2).",
};
static const sentence INVITE_REQUEST_RELIABLE = {
    "This INVITE opens INVITE transaction %u. Over a reliable transport such as TCP it is not re-sent: "
    "Timer A runs only over UDP (RFC 3261 \xC2\xA7" "17.1.1.2).",
    "Этот INVITE открывает INVITE-транзакцию %u. По надёжному транспорту, например TCP, он не повторяется: "
    "таймер A работает только для UDP (RFC 3261 \xC2\xA7" "17.1.1.2).",
};
static const sentence UNMATCHABLE_REQUEST = {
    "This %s lacks the Via, CSeq or Call-ID needed to match it (RFC 3261 \xC2\xA7" "8.1.1), so it cannot "
    "belong to another message's transaction; it is shown as transaction %u of its own.",
    "В этом %s нет Via, CSeq или Call-ID, нужных для сопоставления (RFC 3261 \xC2\xA7" "8.1.1), поэтому он "
    "не может относиться к транзакции другого сообщения; он показан как отдельная транзакция %u.",
};
static const sentence UNMATCHABLE_RESPONSE = {
    "This %u response lacks the Via, CSeq or Call-ID needed to match it (RFC 3261 \xC2\xA7" "8.2.6.2), so it "
    "cannot belong to another message's transaction; it is shown as transaction %u of its own.",
    "В этом ответе %u нет Via, CSeq или Call-ID, нужных для сопоставления (RFC 3261 \xC2\xA7" "8.2.6.2), "
    "поэтому он не может относиться к транзакции другого сообщения; он показан как отдельная транзакция %u.",
};
static const sentence OTHER_REQUEST = {
    "This %s request opens non-INVITE transaction %u, which ends with its first final response "
    "(RFC 3261 \xC2\xA7" "17.1.2).",
    "Этот запрос %s открывает не-INVITE-транзакцию %u; она завершается первым окончательным ответом "
    "(RFC 3261 \xC2\xA7" "17.1.2).",
};
static const sentence REQUEST_COPY = {
    "This %s is a re-sent copy of frame %u: same branch, sent-by and method, so it belongs to "
    "transaction %u (RFC 3261 \xC2\xA7" "17.2.3).",
    "Этот %s \xE2\x80\x94 повторная передача кадра %u: та же ветвь (branch), sent-by и метод, поэтому он "
    "относится к транзакции %u (RFC 3261 \xC2\xA7" "17.2.3).",
};
static const sentence REQUEST_COPY_2543 = {
    "This %s is a re-sent copy of frame %u: it has no RFC 3261 branch, and its Request-URI, tags, Call-ID, "
    "CSeq and top Via are the same, so by the RFC 2543 rules it belongs to transaction %u "
    "(RFC 3261 \xC2\xA7" "17.2.3).",
    "Этот %s \xE2\x80\x94 повторная передача кадра %u: ветви по RFC 3261 у него нет, а Request-URI, теги, "
    "Call-ID, CSeq и верхний Via совпадают, поэтому по правилам RFC 2543 он относится к транзакции %u "
    "(RFC 3261 \xC2\xA7" "17.2.3).",
};
static const sentence REQUEST_COPY_OF_UNSEEN = {
    "This %s repeats a request whose first copy is not in the capture; it belongs to transaction %u "
    "(RFC 3261 \xC2\xA7" "17.2.3).",
    "Этот %s повторяет запрос, первой копии которого нет в записи; он относится к транзакции %u "
    "(RFC 3261 \xC2\xA7" "17.2.3).",
};
static const sentence CANCEL_REQUEST = {
    "This CANCEL asks the server to stop the INVITE of frame %u. It carries the INVITE's branch but "
    "forms its own transaction %u (RFC 3261 \xC2\xA7" "9.1, \xC2\xA7" "9.2).",
    "Этот CANCEL просит сервер прекратить обработку INVITE из кадра %u. У него та же ветвь, что у INVITE, "
    "но это отдельная транзакция %u (RFC 3261 \xC2\xA7" "9.1, \xC2\xA7" "9.2).",
};
static const sentence CANCEL_OF_UNSEEN = {
    "This CANCEL asks to stop an INVITE that is not in the capture; it forms its own transaction %u "
    "(RFC 3261 \xC2\xA7" "9.1).",
    "Этот CANCEL просит прекратить обработку INVITE, которого нет в записи; это отдельная транзакция %u "
    "(RFC 3261 \xC2\xA7" "9.1).",
};
static const sentence INVITE_PROVISIONAL = {
    "This %u provisional response tells the caller that the INVITE of transaction %u is being handled; "
    "it stops the INVITE's retransmissions and moves the transaction to Proceeding (RFC 3261 \xC2\xA7" "17.1.1.2).",
    "Этот предварительный ответ %u сообщает вызывающей стороне, что INVITE транзакции %u обрабатывается; "
    "он останавливает повторы INVITE и переводит транзакцию в состояние Proceeding (RFC 3261 \xC2\xA7" "17.1.1.2).",
};
static const sentence OTHER_PROVISIONAL = {
    "This %u provisional response moves transaction %u to Proceeding; over UDP the client keeps "
    "re-sending its request, now every T2 (RFC 3261 \xC2\xA7" "17.1.2.2).",
    "Этот предварительный ответ %u переводит транзакцию %u в состояние Proceeding; по UDP клиент "
    "продолжает повторять запрос, теперь каждые T2 (RFC 3261 \xC2\xA7" "17.1.2.2).",
};
static const sentence PROVISIONAL_COPY = {
    "This %u repeats the provisional response of frame %u in transaction %u.",
    "Этот ответ %u повторяет предварительный ответ из кадра %u в транзакции %u.",
};
static const sentence INVITE_ACCEPTED = {
    "This %u accepts the INVITE and ends INVITE transaction %u; the caller answers it with an ACK that "
    "is a transaction of its own, sent end to end (RFC 3261 \xC2\xA7" "13.2.2.4, \xC2\xA7" "17.1.1.2).",
    "Этот ответ %u принимает INVITE и завершает INVITE-транзакцию %u; вызывающая сторона подтверждает его "
    "запросом ACK, который образует отдельную транзакцию и идёт из конца в конец "
    "(RFC 3261 \xC2\xA7" "13.2.2.4, \xC2\xA7" "17.1.1.2).",
};
static const sentence INVITE_REJECTED = {
    "This %u rejects the INVITE and completes INVITE transaction %u; the ACK that acknowledges it "
    "belongs to the same transaction and is sent hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3).",
    "Этот ответ %u отклоняет INVITE и переводит INVITE-транзакцию %u в состояние Completed; подтверждающий "
    "его ACK входит в ту же транзакцию и передаётся от узла к узлу (RFC 3261 \xC2\xA7" "17.1.1.3).",
};
static const sentence OTHER_FINAL = {
    "This %u is the final response to the %s request and completes transaction %u "
    "(RFC 3261 \xC2\xA7" "17.1.2.2).",
    "Этот ответ %u \xE2\x80\x94 окончательный ответ на запрос %s; он завершает транзакцию %u "
    "(RFC 3261 \xC2\xA7" "17.1.2.2).",
};
static const sentence INVITE_FINAL_COPY = {
    "This %u is a re-sent copy of the final response of frame %u in transaction %u: the server repeats "
    "it until an ACK arrives (Timer G, RFC 3261 \xC2\xA7" "17.2.1, \xC2\xA7" "13.3.1.4).",
    "Этот ответ %u \xE2\x80\x94 повторная передача окончательного ответа из кадра %u в транзакции %u: "
    "сервер повторяет его, пока не придёт ACK (таймер G, RFC 3261 \xC2\xA7" "17.2.1, \xC2\xA7" "13.3.1.4).",
};
static const sentence OTHER_FINAL_COPY = {
    "This %u repeats the final response of frame %u in transaction %u, because the client re-sent its "
    "request (RFC 3261 \xC2\xA7" "17.2.2).",
    "Этот ответ %u повторяет окончательный ответ из кадра %u в транзакции %u, потому что клиент повторил "
    "запрос (RFC 3261 \xC2\xA7" "17.2.2).",
};
static const sentence ACK_NON_2XX = {
    "This ACK acknowledges the %u response in frame %u, so it belongs to INVITE transaction %u "
    "(same branch %s) and is sent hop by hop (RFC 3261 \xC2\xA7" "17.1.1.3).",
    "Этот ACK подтверждает ответ %u из кадра %u, поэтому он входит в INVITE-транзакцию %u "
    "(та же ветвь %s) и передаётся от узла к узлу (RFC 3261 \xC2\xA7" "17.1.1.3).",
};
static const sentence ACK_NON_2XX_2543 = {
    "This ACK acknowledges the %u response in frame %u, so it belongs to INVITE transaction %u, matched by the "
    "RFC 2543 rules (no branch: Call-ID, CSeq, tags and top Via), and is sent hop by hop "
    "(RFC 3261 \xC2\xA7" "17.1.1.3, \xC2\xA7" "17.2.3).",
    "Этот ACK подтверждает ответ %u из кадра %u, поэтому он входит в INVITE-транзакцию %u, сопоставленную по "
    "правилам RFC 2543 (ветви нет: Call-ID, CSeq, теги и верхний Via), и передаётся от узла к узлу "
    "(RFC 3261 \xC2\xA7" "17.1.1.3, \xC2\xA7" "17.2.3).",
};
static const sentence ACK_NON_2XX_OTHER_BRANCH = {
    "This ACK acknowledges the %u response in frame %u, so it belongs to INVITE transaction %u and is sent hop "
    "by hop, but its branch %s differs from the INVITE's, which RFC 3261 \xC2\xA7" "17.1.1.3 forbids.",
    "Этот ACK подтверждает ответ %u из кадра %u, поэтому он входит в INVITE-транзакцию %u и передаётся от узла "
    "к узлу, но его ветвь %s отличается от ветви INVITE, что запрещает RFC 3261 \xC2\xA7" "17.1.1.3.",
};
static const sentence ACK_NON_2XX_BY_BRANCH = {
    "This ACK has the branch of INVITE transaction %u, whose final response is not in the capture, so it "
    "is the hop-by-hop ACK to a non-2xx response (RFC 3261 \xC2\xA7" "17.1.1.3).",
    "У этого ACK ветвь INVITE-транзакции %u, окончательного ответа которой нет в записи, поэтому это ACK "
    "на не-2xx ответ, передаваемый от узла к узлу (RFC 3261 \xC2\xA7" "17.1.1.3).",
};
static const sentence ACK_2XX = {
    "This ACK acknowledges the %u response in frame %u. An ACK to a 2xx is a transaction of its own (%u, "
    "completing INVITE transaction %u) with a new branch and the INVITE's CSeq number, sent end to end "
    "(RFC 3261 \xC2\xA7" "13.2.2.4).",
    "Этот ACK подтверждает ответ %u из кадра %u. ACK на 2xx \xE2\x80\x94 отдельная транзакция (%u, "
    "завершающая INVITE-транзакцию %u) с новой ветвью и тем же номером CSeq, что у INVITE; он идёт из "
    "конца в конец (RFC 3261 \xC2\xA7" "13.2.2.4).",
};
static const sentence ACK_2XX_SAME_BRANCH = {
    "This ACK acknowledges the %u response in frame %u. An ACK to a 2xx is a transaction of its own (%u, "
    "completing INVITE transaction %u) and needs a new branch, but this one reuses the INVITE's "
    "(RFC 3261 \xC2\xA7" "8.1.1.7, \xC2\xA7" "13.2.2.4).",
    "Этот ACK подтверждает ответ %u из кадра %u. ACK на 2xx \xE2\x80\x94 отдельная транзакция (%u, "
    "завершающая INVITE-транзакцию %u), и ему нужна новая ветвь, а этот ACK повторяет ветвь INVITE "
    "(RFC 3261 \xC2\xA7" "8.1.1.7, \xC2\xA7" "13.2.2.4).",
};
static const sentence ACK_UNKNOWN = {
    "The response this ACK acknowledges is not in the capture, so it cannot be told whether it is the "
    "hop-by-hop ACK of an INVITE transaction or an end-to-end ACK to a 2xx (RFC 3261 \xC2\xA7" "17.1.1.3, "
    "\xC2\xA7" "13.2.2.4); it is shown as transaction %u.",
    "Ответа, который подтверждает этот ACK, нет в записи, поэтому нельзя сказать, входит ли он в "
    "INVITE-транзакцию (ACK на не-2xx) или образует отдельную транзакцию (ACK на 2xx) "
    "(RFC 3261 \xC2\xA7" "17.1.1.3, \xC2\xA7" "13.2.2.4); он показан как транзакция %u.",
};
static const sentence ACK_COPY = {
    " It repeats the ACK of frame %u.",
    " Он повторяет ACK из кадра %u.",
};

/* A sentence replaces the text (say) or follows it (say_more); sentences hold
 * only %u and %s (textformat.h). */
static void say(GString *text, const char *format, ...)
{
    va_list arguments;
    g_string_truncate(text, 0);
    va_start(arguments, format);
    text_append_vformat(text, format, arguments);
    va_end(arguments);
}

static void say_more(GString *text, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    text_append_vformat(text, format, arguments);
    va_end(arguments);
}

static const char *pick(const sentence *which, siptxn_language language)
{
    return language == SIPTXN_LANGUAGE_RUSSIAN ? which->russian : which->english;
}

static const final_response *final_in_frame(const transaction *owner, guint32 frame)
{
    for (const final_response *final = owner ? owner->finals : NULL; final; final = final->next)
        if (final->frame == frame)
            return final;
    return NULL;
}

static void write_request(GString *text, const stored_message *message, siptxn_language language)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    message_identity identity = stored_message_identity(message);
    const char *method = identity.method ? identity.method : "?";
    if (details->findings & FINDING_UNMATCHABLE) {
        say(text, pick(&UNMATCHABLE_REQUEST, language), method, owner->number);
        return;
    }
    const transaction *cancelled = transaction_links_of(owner)->cancels;
    switch (message->role) {
    case MESSAGE_ROLE_CANCEL:
        if (cancelled && cancelled->request_frame)
            say(text, pick(&CANCEL_REQUEST, language), cancelled->request_frame, owner->number);
        else
            say(text, pick(&CANCEL_OF_UNSEEN, language), owner->number);
        return;
    case MESSAGE_ROLE_REQUEST_RETRANSMISSION:
    case MESSAGE_ROLE_CANCEL_RETRANSMISSION:
        if (details->original_frame)
            say(text, pick(transaction_is_rfc2543(owner) ? &REQUEST_COPY_2543 : &REQUEST_COPY, language), method,
                            details->original_frame, owner->number);
        else
            say(text, pick(&REQUEST_COPY_OF_UNSEEN, language), method, owner->number);
        return;
    default:
        if (owner->kind == TRANSACTION_KIND_INVITE && owner->transport != SIPMSG_TRANSPORT_UDP &&
            owner->transport != SIPMSG_TRANSPORT_UNKNOWN)
            say(text, pick(&INVITE_REQUEST_RELIABLE, language), owner->number);
        else if (owner->kind == TRANSACTION_KIND_INVITE)
            say(text, pick(&INVITE_REQUEST, language), owner->number);
        else
            say(text, pick(&OTHER_REQUEST, language), method, owner->number);
    }
}

static void write_response(GString *text, const stored_message *message, siptxn_language language)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    gboolean invite = owner->kind == TRANSACTION_KIND_INVITE;
    if (details->findings & FINDING_UNMATCHABLE) {
        say(text, pick(&UNMATCHABLE_RESPONSE, language), message->status_code, owner->number);
        return;
    }
    switch (message->role) {
    case MESSAGE_ROLE_PROVISIONAL:
        say(text, pick(invite ? &INVITE_PROVISIONAL : &OTHER_PROVISIONAL, language),
                        message->status_code, owner->number);
        return;
    case MESSAGE_ROLE_PROVISIONAL_RETRANSMISSION:
        say(text, pick(&PROVISIONAL_COPY, language), message->status_code, details->original_frame,
                        owner->number);
        return;
    case MESSAGE_ROLE_FINAL_RETRANSMISSION:
        say(text, pick(invite ? &INVITE_FINAL_COPY : &OTHER_FINAL_COPY, language),
                        message->status_code, details->original_frame, owner->number);
        return;
    default:
        if (invite && message->status_code < 300)
            say(text, pick(&INVITE_ACCEPTED, language), message->status_code, owner->number);
        else if (invite)
            say(text, pick(&INVITE_REJECTED, language), message->status_code, owner->number);
        else
            say(text, pick(&OTHER_FINAL, language), message->status_code,
                            owner->method ? owner->method : "?", owner->number);
    }
}

static void write_ack(GString *text, const stored_message *message, siptxn_language language)
{
    const message_details *details = stored_message_details(message);
    const transaction *owner = message->transaction;
    const char *branch = stored_message_identity(message).branch;
    const final_response *final = final_in_frame(details->ack_invite, details->ack_response_frame);
    switch (details->ack_class) {
    case ACK_CLASS_NON_2XX:
        if (final && transaction_is_rfc2543(owner))
            say(text, pick(&ACK_NON_2XX_2543, language), final->status_code, final->frame,
                            owner->number);
        else if (final && (details->findings & FINDING_ACK_BRANCH_MISMATCH))
            say(text, pick(&ACK_NON_2XX_OTHER_BRANCH, language), final->status_code, final->frame,
                            owner->number, branch ? branch : "-");
        else if (final)
            say(text, pick(&ACK_NON_2XX, language), final->status_code, final->frame, owner->number,
                            branch ? branch : "-");
        else
            say(text, pick(&ACK_NON_2XX_BY_BRANCH, language), owner->number);
        break;
    case ACK_CLASS_2XX:
        say(text, pick((details->findings & FINDING_ACK_2XX_REUSES_BRANCH) ? &ACK_2XX_SAME_BRANCH : &ACK_2XX,
                                   language), final ? final->status_code : 200u,
                        details->ack_response_frame, owner->number,
                        details->ack_invite ? details->ack_invite->number : 0u);
        break;
    default:
        say(text, pick(&ACK_UNKNOWN, language), owner->number);
        break;
    }
    if (message->role == MESSAGE_ROLE_ACK_RETRANSMISSION && details->original_frame)
        say_more(text, pick(&ACK_COPY, language), details->original_frame);
}

void narrative_write(GString *text, const stored_message *message, siptxn_language language)
{
    g_string_truncate(text, 0);
    if (!message || !message->transaction)
        return;
    if (message_role_is_ack((message_role)message->role))
        write_ack(text, message, language);
    else if (message->is_request)
        write_request(text, message, language);
    else
        write_response(text, message, language);
}

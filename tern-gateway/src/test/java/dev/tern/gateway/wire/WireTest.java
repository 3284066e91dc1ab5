package dev.tern.gateway.wire;

import com.google.protobuf.ByteString;
import dev.tern.core.media.Attachment;
import dev.tern.core.store.BodyKind;
import dev.tern.core.store.ConversationKind;
import dev.tern.core.store.MemberRole;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.view.Change;
import dev.tern.core.view.DialogView;
import dev.tern.core.view.Marker;
import dev.tern.core.view.MessageView;
import dev.tern.core.view.PresenceView;
import dev.tern.core.view.Push;
import dev.tern.core.view.ServiceEvent;
import dev.tern.core.view.Update;
import dev.tern.protocol.ErrorTable;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.Media;
import dev.tern.protocol.v1.Message;
import dev.tern.protocol.v1.Role;
import dev.tern.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one place where core values become wire values: each mapping checked against the generated types. */
class WireTest {

    @Test
    void everyCoreCodeIsTheWireCodeOfTheSameNameAndHasADocumentedRow() {
        for (dev.tern.core.ErrorCode code : dev.tern.core.ErrorCode.values()) {
            ErrorCode wire = Codes.wire(code);
            assertThat(wire.name()).isEqualTo(code.name());
            assertThat(ErrorTable.of(wire).code()).isEqualTo(wire);
        }
    }

    @Test
    void aServiceEventIsStoredInTheWireEncodingOfServiceEvent() throws Exception {
        ServiceEvent event = ServiceEvent.of(ServiceEvent.Type.ROLE_CHANGED).withTarget(42, "mia")
                .withTitle("Plans").withRole(MemberRole.ADMIN).withMessageSeq(7).withDescription("about")
                .withPostingRules(true, 30).withBanned(true);
        dev.tern.protocol.v1.ServiceEvent parsed = dev.tern.protocol.v1.ServiceEvent.parseFrom(event.encode());
        assertThat(parsed.getType()).isEqualTo(dev.tern.protocol.v1.ServiceEvent.Type.ROLE_CHANGED);
        assertThat(parsed.getTargetUserId()).isEqualTo(42);
        assertThat(parsed.getTargetUsername()).isEqualTo("mia");
        assertThat(parsed.getTitle()).isEqualTo("Plans");
        assertThat(parsed.getRole()).isEqualTo(Role.ADMIN);
        assertThat(parsed.getMessageSeq()).isEqualTo(7);
        assertThat(parsed.getDescription()).isEqualTo("about");
        assertThat(parsed.getAdminsOnly()).isTrue();
        assertThat(parsed.getSlowModeSeconds()).isEqualTo(30);
        assertThat(parsed.getBanned()).isTrue();
        // The same bytes the generated encoder makes: data directories written before hold those.
        assertThat(event.encode()).isEqualTo(parsed.toByteArray());
        for (ServiceEvent.Type type : ServiceEvent.Type.values()) {
            assertThat(dev.tern.protocol.v1.ServiceEvent.parseFrom(ServiceEvent.of(type).encode()).getType().name())
                    .isEqualTo(type.name());
        }
        assertThat(dev.tern.protocol.v1.ServiceEvent.parseFrom(ServiceEvent.of(ServiceEvent.Type.MEMBER_LEFT)
                .withRole(MemberRole.OWNER).encode()).getRole()).isEqualTo(Role.OWNER);
    }

    @Test
    void anAttachmentIsStoredInTheWireEncodingOfMedia() throws Exception {
        Attachment a = new Attachment("m".repeat(32), "image/png", 123_456, "cat.png", 640, 480, true,
                "ab".repeat(32), 0);
        Media parsed = Media.parseFrom(a.encode());
        assertThat(parsed.getMediaId()).isEqualTo(a.mediaId());
        assertThat(parsed.getMime()).isEqualTo("image/png");
        assertThat(parsed.getSize()).isEqualTo(123_456);
        assertThat(parsed.getFileName()).isEqualTo("cat.png");
        assertThat(parsed.getWidth()).isEqualTo(640);
        assertThat(parsed.getHeight()).isEqualTo(480);
        assertThat(parsed.getHasThumbnail()).isTrue();
        assertThat(parsed.getSha256()).isEqualTo("ab".repeat(32));
        assertThat(parsed.getDurationMs()).isZero();
        assertThat(a.encode()).isEqualTo(parsed.toByteString());
        // The id is read back from what the generated encoder wrote too, whatever the field order.
        ByteString generated = Media.newBuilder().setDurationMs(9).setMediaId("x1").setMime("audio/ogg").build()
                .toByteString();
        assertThat(Attachment.mediaIdOf(generated)).isEqualTo("x1");
    }

    @Test
    void aPostedMessageBecomesAnUpdatePushWithItsMediaAndMention() {
        Attachment a = new Attachment("id1", "image/jpeg", 10, "a.jpg", 1, 2, false, "00", 0);
        MessageRecord r = new MessageRecord(5, 9, 7, "ann", 3, "c-1", "text/plain", BodyKind.TEXT,
                "hi @ben".getBytes(StandardCharsets.UTF_8), 1000,
                MessageRecord.Extras.NONE.withMedia(a.encode()).withMentions(List.of(8L)));
        MessageView view = new MessageView(r, ConversationKind.GROUP);
        Push push = new Push.Updated(Update.logged(12, 11, new Change.Posted(view)).withMentioned(true));
        ServerFrame f = Pushes.frame(push);
        dev.tern.protocol.v1.Update u = f.getUpdate().getUpdate();
        assertThat(u.getPts()).isEqualTo(12);
        assertThat(u.getPrevPts()).isEqualTo(11);
        assertThat(u.getMentioned()).isTrue();
        Message m = u.getMessage();
        assertThat(m.getConversationId()).isEqualTo(5);
        assertThat(m.getSeq()).isEqualTo(9);
        assertThat(m.getSenderName()).isEqualTo("ann");
        assertThat(m.getText()).isEqualTo("hi @ben");
        assertThat(m.getMentionIdsList()).containsExactly(8L);
        assertThat(m.getMedia().getMediaId()).isEqualTo("id1");
        assertThat(m.getConversationKind()).isEqualTo(dev.tern.protocol.v1.ConversationKind.GROUP);
        // One message pushed to many connections is built once on a thread; another view is its own.
        assertThat(Messages.of(view)).isSameAs(Messages.of(view));
        MessageView other = new MessageView(r, ConversationKind.DIRECT);
        assertThat(Messages.of(other).getConversationKind()).isEqualTo(dev.tern.protocol.v1.ConversationKind.DIRECT);
    }

    @Test
    void markersDialogsTypingAndPresenceKeepEveryField() {
        Marker marker = new Marker(5, 7, "ann", 40);
        assertThat(Pushes.update(Update.logged(3, 2, new Change.Read(marker))).getRead().getUpToSeq()).isEqualTo(40);
        dev.tern.protocol.v1.Update delivered = Pushes.update(Update.unlogged(new Change.Delivered(marker)));
        assertThat(delivered.getPts()).isZero();
        assertThat(delivered.getDelivered().getUsername()).isEqualTo("ann");
        assertThat(Pushes.update(new Update(0, 0, new Change.Hidden(5, 6), false, 4, 3)).getPrevChange()).isEqualTo(3);

        DialogView d = new DialogView(5, ConversationKind.DIRECT, "ben", 8, null, 99, 30, 2, 1, 77, true, true,
                "draft", 55, false, false, 0, 29, 31);
        dev.tern.protocol.v1.Dialog w = Pushes.dialog(d);
        assertThat(w.getPeerId()).isEqualTo(8);
        assertThat(w.getUnreadCount()).isEqualTo(2);
        assertThat(w.getMuteUntilMs()).isEqualTo(77);
        assertThat(w.getDraftAtMs()).isEqualTo(55);
        assertThat(w.getPeerDeliveredSeq()).isEqualTo(31);
        assertThat(w.hasTopMessage()).isFalse();
        dev.tern.protocol.v1.Dialog left = Pushes.dialog(DialogView.left(5));
        assertThat(left.getLeft()).isTrue();
        assertThat(left.getKind()).isEqualTo(dev.tern.protocol.v1.ConversationKind.CONVERSATION_KIND_UNSPECIFIED);

        ServerFrame typing = Pushes.frame(new Push.Typing(5, 7, "ann", true));
        assertThat(typing.getTyping().getStopped()).isTrue();
        ServerFrame presence = Pushes.frame(new Push.PresenceChanged(new PresenceView(7, "ann", true, 1234)));
        assertThat(presence.getPresence().getPresence().getLastSeenMs()).isEqualTo(1234);
    }

    @Test
    void aRoleTheServerDoesNotKnowIsNoRoleForTheCoreToRefuseAndAnAddedMemberDefaultsToMember() {
        assertThat(Inputs.role(Role.UNRECOGNIZED)).isNull();
        assertThat(Inputs.role(Role.ROLE_UNSPECIFIED)).isNull();
        assertThat(Inputs.role(Role.OWNER)).isEqualTo(MemberRole.OWNER);
        assertThat(Inputs.addedRole(Role.ROLE_UNSPECIFIED)).isEqualTo(MemberRole.MEMBER);
        assertThat(Inputs.addedRole(Role.UNRECOGNIZED)).isNull();
        assertThat(Inputs.addedRole(Role.ADMIN)).isEqualTo(MemberRole.ADMIN);
    }

    @Test
    void aBroadcastPushIsBuiltOnceForAllItsConnections() {
        Push push = new Push.Typing(5, 7, "ann", false);
        assertThat(Pushes.frame(push)).isSameAs(Pushes.frame(push));
        assertThat(Pushes.frame(new Push.Typing(5, 7, "ann", false))).isEqualTo(Pushes.frame(push))
                .isNotSameAs(Pushes.frame(push));
    }
}

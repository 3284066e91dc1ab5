package dev.tern.archfixture.core.group;

public class Groups {
  dev.tern.archfixture.core.inbox.Dialogs dialogs;
}

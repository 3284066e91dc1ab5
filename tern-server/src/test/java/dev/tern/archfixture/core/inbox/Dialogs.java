package dev.tern.archfixture.core.inbox;

public class Dialogs {
  dev.tern.archfixture.core.people.Contacts contacts;
}

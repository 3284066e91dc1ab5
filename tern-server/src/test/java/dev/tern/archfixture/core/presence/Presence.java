package dev.tern.archfixture.core.presence;

public class Presence {
  dev.tern.archfixture.core.people.Contacts contacts;
  dev.tern.archfixture.core.delivery.Sessions sessions;
}

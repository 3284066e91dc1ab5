package dev.tern.archfixture.core.admission;

public class Admission {}

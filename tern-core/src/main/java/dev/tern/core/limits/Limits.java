package dev.tern.core.limits;

import dev.tern.core.ErrorCode;
import dev.tern.core.Principal;

/**
 * The rate limits of one node. Callers ask before doing the work; every method either returns
 * (allowed, and counted where the limit counts attempts) or throws the limit's Failure.
 */
public final class Limits {
    private final KeyedLimiter<Long> sendPerDevice;
    private final KeyedLimiter<Long> sendPerUser;
    private final KeyedLimiter<String> loginFailuresPerUsername;
    private final KeyedLimiter<String> loginAttemptsPerAddress;
    private final KeyedLimiter<String> registrationsPerAddress;
    private final KeyedLimiter<Long> groupsPerUser;

    public Limits(LimitsConfig c) {
        sendPerDevice = new KeyedLimiter<>(c.sendPerDevice(), ErrorCode.SEND_RATE_DEVICE,
                "this device sends too fast");
        sendPerUser = new KeyedLimiter<>(c.sendPerUser(), ErrorCode.SEND_RATE_USER,
                "this account sends too fast");
        loginFailuresPerUsername = new KeyedLimiter<>(c.loginFailuresPerUsername(), ErrorCode.LOGIN_RATE_USERNAME,
                "too many failed logins for this username");
        loginAttemptsPerAddress = new KeyedLimiter<>(c.loginAttemptsPerAddress(), ErrorCode.LOGIN_RATE_ADDRESS,
                "too many login attempts from this address");
        registrationsPerAddress = new KeyedLimiter<>(c.registrationsPerAddress(), ErrorCode.REGISTER_RATE_ADDRESS,
                "too many registrations from this address");
        groupsPerUser = new KeyedLimiter<>(c.groupsPerUser(), ErrorCode.GROUP_CREATE_RATE,
                "too many groups created");
    }

    /** One send by the caller's device (device ids are unique across users). */
    public void send(Principal caller) {
        Principal.require(caller);
        sendPerDevice.acquire(caller.deviceId());
        sendPerUser.acquire(caller.userId());
    }

    /**
     * Before a login is checked: counts the attempt against the address, and takes a permit from the
     * username's failure allowance up front, so concurrent guesses cannot all pass a check made before
     * any of them failed. {@code username} is the canonical name, or null when the name is invalid
     * (such a login fails anyway and only the address limit applies). Call {@link #loginSucceeded}
     * after a good password to give the permit back.
     */
    public void login(String username, String address) {
        loginAttemptsPerAddress.acquire(address);
        if (username != null) {
            loginFailuresPerUsername.acquire(username);
        }
    }

    /** Before a signed-in user's password is checked (password change): the username's allowance only. */
    public void passwordCheck(String username) {
        loginFailuresPerUsername.acquire(username);
    }

    /** After a correct password: the permit taken by {@link #login} or {@link #passwordCheck} is returned. */
    public void loginSucceeded(String username) {
        if (username != null) {
            loginFailuresPerUsername.refund(username);
        }
    }

    public void register(String address) {
        registrationsPerAddress.acquire(address);
    }

    public void createGroup(Principal caller) {
        Principal.require(caller);
        groupsPerUser.acquire(caller.userId());
    }
}

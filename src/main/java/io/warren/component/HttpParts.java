package io.warren.component;

import io.warren.http.ErrorResponse;
import io.warren.security.UserEndpoints;

/** What warren:http endpoints share: the registry the guard consults, and the API's JSON errors. */
public record HttpParts(UserEndpoints endpoints, ErrorResponse errors) {
}

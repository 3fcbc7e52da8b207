/** Kernel timing: a {@link org.efqat.api.backend.Backend} decorator that times every kernel. */
package org.efqat.core.profile;

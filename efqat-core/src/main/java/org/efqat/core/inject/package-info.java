/**
 * Guice wiring: {@link org.efqat.core.inject.SessionModule} binds what one validated experiment
 * chose; {@link org.efqat.core.session.Sessions} is the only place an injector is created and asked
 * for an instance.
 */
package org.efqat.core.inject;

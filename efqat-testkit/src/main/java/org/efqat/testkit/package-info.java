/**
 * Contract tests and assertions for implementations of the EfQAT SPIs. A plugin or backend module
 * adds this jar with test scope and extends the abstract contract test of its kind, for example
 * {@code class Nd4jBackendContractTest extends BackendContractTest}.
 */
package org.efqat.testkit;

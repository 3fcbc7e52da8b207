/**
 * The dataset component kind: {@link org.efqat.core.data.DatasetProvider} is the service type a
 * dataset plugin registers; {@link org.efqat.core.data.Dataset#load()} gives a {@link
 * org.efqat.core.data.LoadedDataset} that hands out training and test batches; {@link
 * org.efqat.core.data.InputFile} identifies the files a run read.
 */
package org.efqat.core.data;

// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP

// graph.conv2d with dynamic filter dims is valid IR: a dynamic O, I, KH or KW must keep the
// dependent result dims dynamic (or unchecked) instead of being used as a number (the dynamic
// marker is INT64_MIN in xDSL, which gives "9223372036854775817"-sized windows and bogus
// "output channels -9223372036854775808" errors).

// CHECK-LABEL: func.func @dynamic_kernel_size
// CHECK-NEXT: graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x?xf32>) -> tensor<1x4x?x?xf32>
// CHECK-NEXT: graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x?xf32>) -> tensor<1x4x6x6xf32>
func.func @dynamic_kernel_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x?x?xf32>) {
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x?xf32>) -> tensor<1x4x?x?xf32>
  %1 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x?xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @dynamic_output_channels_grouped
// CHECK-NEXT: graph.conv2d %x, %w {groups = 3 : i64} : (tensor<1x3x8x8xf32>, tensor<?x1x3x3xf32>) -> tensor<1x?x6x6xf32>
func.func @dynamic_output_channels_grouped(%x: tensor<1x3x8x8xf32>, %w: tensor<?x1x3x3xf32>) {
  %0 = graph.conv2d %x, %w {groups = 3 : i64} : (tensor<1x3x8x8xf32>, tensor<?x1x3x3xf32>) -> tensor<1x?x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @dynamic_input_channels_of_filter
// CHECK-NEXT: graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x?x3x3xf32>) -> tensor<1x4x6x6xf32>
func.func @dynamic_input_channels_of_filter(%x: tensor<1x3x8x8xf32>, %w: tensor<4x?x3x3xf32>) {
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x?x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

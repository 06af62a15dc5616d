<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message>
        <source>Preparing {arch} on {dataset}…</source>
        <translation>正在准备 {arch}（数据集 {dataset}）…</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Help ▸ Concepts: what this panel shows</source>
        <translation>帮助 ▸ 概念：这个面板显示什么</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Reset the weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>OptimiserDialog</name>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 η</translation>
    </message>
    <message>
        <source>Momentum μ</source>
        <translation>动量 μ</translation>
    </message>
    <message>
        <source>Decay α</source>
        <translation>衰减率 α</translation>
    </message>
    <message>
        <source>Weight decay λ</source>
        <translation>权重衰减 λ</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Step: η × γ every few epochs</source>
        <translation>步进：每隔若干轮次 η 乘以 γ</translation>
    </message>
    <message>
        <source>Cosine: from η down to 0 at the last epoch</source>
        <translation>余弦：从 η 降到最后一个轮次结束时的 0</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Factor γ</source>
        <translation>因子 γ</translation>
    </message>
    <message>
        <source>Every (epochs)</source>
        <translation>间隔（轮次）</translation>
    </message>
    <message>
        <source>Optimiser: {0}, η = {1:g}</source>
        <translation>优化器：{0}，η = {1:g}</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>Confusion</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Convolution explainer</source>
        <translation>卷积演示</translation>
    </message>
    <message>
        <source>Gradient check</source>
        <translation>梯度检验</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Training plots</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Backprop rule</source>
        <translation>反向传播规则</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>手写</translation>
    </message>
    <message>
        <source>Layer inspector</source>
        <translation>层检查器</translation>
    </message>
    <message>
        <source>Network overview</source>
        <translation>网络总览</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Play / pause training</source>
        <translation>开始 / 暂停训练</translation>
    </message>
    <message>
        <source>Step batch</source>
        <translation>单步（一批）</translation>
    </message>
    <message>
        <source>Step one batch (forward, loss, backward, update)</source>
        <translation>单步训练一批：前向传播、损失、反向传播、更新</translation>
    </message>
    <message>
        <source>Step phase</source>
        <translation>单步（一个阶段）</translation>
    </message>
    <message>
        <source>Step one phase: forward layer by layer → loss → backward → update</source>
        <translation>单步走一个阶段：逐层前向传播 → 损失 → 反向传播 → 更新</translation>
    </message>
    <message>
        <source>↶ Undo</source>
        <translation>↶ 撤销</translation>
    </message>
    <message>
        <source>Undo: back one phase inside a step, else back one batch (weights, optimiser, counters and metrics exactly as before)</source>
        <translation>撤销：一步之中退回一个阶段，否则退回一批（权重、优化器、计数和指标完全恢复原样）</translation>
    </message>
    <message>
        <source>Undo phase</source>
        <translation>撤销一个阶段</translation>
    </message>
    <message>
        <source>Undo the last phase</source>
        <translation>撤销上一个阶段</translation>
    </message>
    <message>
        <source>Undo batch</source>
        <translation>撤销一批</translation>
    </message>
    <message>
        <source>Undo the last batch (step)</source>
        <translation>撤销上一批（一步）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Reset: re-initialise the weights</source>
        <translation>重置：重新初始化权重</translation>
    </message>
    <message>
        <source>Evaluate now</source>
        <translation>立即评估</translation>
    </message>
    <message>
        <source>Test-set accuracy</source>
        <translation>测试集准确率</translation>
    </message>
    <message>
        <source>Optimiser…</source>
        <translation>优化器…</translation>
    </message>
    <message>
        <source>Choose the optimiser and its hyperparameters</source>
        <translation>选择优化器及其超参数</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>与另一次训练比较…</translation>
    </message>
    <message>
        <source>Overlay another saved run&apos;s loss and accuracy curves, dashed</source>
        <translation>以虚线叠加另一次已保存训练的损失和准确率曲线</translation>
    </message>
    <message>
        <source>Clear comparison</source>
        <translation>清除比较</translation>
    </message>
    <message>
        <source>Remove the other run&apos;s curves</source>
        <translation>移除另一次训练的曲线</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>New network (architecture and dataset)</source>
        <translation>新建网络（网络结构和数据集）</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open a model: a cnnviz model file, or an ONNX model to import</source>
        <translation>打开模型：cnnviz 模型文件，或要导入的 ONNX 模型</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save the model as</source>
        <translation>将模型另存为</translation>
    </message>
    <message>
        <source>Export model…</source>
        <translation>导出模型…</translation>
    </message>
    <message>
        <source>Export the model as ONNX, safetensors and a PyTorch module</source>
        <translation>把模型导出为 ONNX、safetensors 和 PyTorch 模块</translation>
    </message>
    <message>
        <source>Export view as PNG…</source>
        <translation>将窗口导出为 PNG…</translation>
    </message>
    <message>
        <source>Export the whole window as PNG</source>
        <translation>将整个窗口导出为 PNG</translation>
    </message>
    <message>
        <source>Export panel for slides (PNG 2× or SVG)…</source>
        <translation>为幻灯片导出面板（PNG 2× 或 SVG）…</translation>
    </message>
    <message>
        <source>Export one panel for slides: PNG 2× or SVG</source>
        <translation>为幻灯片导出一个面板：PNG 2× 或 SVG</translation>
    </message>
    <message>
        <source>Export filters over the timeline as GIF…</source>
        <translation>将卷积核随时间线的变化导出为 GIF…</translation>
    </message>
    <message>
        <source>Export one backward sweep as GIF…</source>
        <translation>将一次反向传播导出为 GIF…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>This list of keyboard shortcuts</source>
        <translation>本快捷键列表</translation>
    </message>
    <message>
        <source>Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>Presentation mode: full screen, large type, high contrast</source>
        <translation>演示模式：全屏、大字体、高对比度</translation>
    </message>
    <message>
        <source>Larger presentation text</source>
        <translation>放大演示文字</translation>
    </message>
    <message>
        <source>Presentation mode: every text larger (remembered)</source>
        <translation>演示模式：所有文字放大（会记住）</translation>
    </message>
    <message>
        <source>Smaller presentation text</source>
        <translation>缩小演示文字</translation>
    </message>
    <message>
        <source>Presentation mode: every text smaller (remembered)</source>
        <translation>演示模式：所有文字缩小（会记住）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom in: the map grid under the mouse, else the overview (also Ctrl+wheel)</source>
        <translation>放大：鼠标下的特征图网格，否则放大网络总览（也可用 Ctrl+滚轮）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom out: the map grid under the mouse, else the overview</source>
        <translation>缩小：鼠标下的特征图网格，否则缩小网络总览</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>适合大小</translation>
    </message>
    <message>
        <source>Back to the size that fits: the map grid under the mouse, else the overview</source>
        <translation>恢复到适合窗口的大小：鼠标下的特征图网格，否则网络总览</translation>
    </message>
    <message>
        <source>Concepts…</source>
        <translation>概念…</translation>
    </message>
    <message>
        <source>Help ▸ Concepts: u, f(u), δ, ∂E/∂W, the argmax mask, full convolution, the colours</source>
        <translation>帮助 ▸ 概念：u、f(u)、δ、∂E/∂W、argmax 掩码、全卷积、颜色</translation>
    </message>
    <message>
        <source>References…</source>
        <translation>参考文献…</translation>
    </message>
    <message>
        <source>The works every rule is taken from</source>
        <translation>每条规则所依据的文献</translation>
    </message>
    <message>
        <source>Open lecture preset…</source>
        <translation>打开课堂预设…</translation>
    </message>
    <message>
        <source>Open a lecture preset</source>
        <translation>打开一个课堂预设</translation>
    </message>
    <message>
        <source>Save lecture preset…</source>
        <translation>保存课堂预设…</translation>
    </message>
    <message>
        <source>Save a lecture preset</source>
        <translation>保存一个课堂预设</translation>
    </message>
    <message>
        <source>Next panel</source>
        <translation>下一个面板</translation>
    </message>
    <message>
        <source>Next panel: {panels}, …</source>
        <translation>下一个面板：{panels}、…</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Show {what}</source>
        <translation>显示{what}</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>{language}: takes effect when cnnviz starts again.</source>
        <translation>{language}：下次启动 cnnviz 时生效。</translation>
    </message>
    <message>
        <source>Training finished</source>
        <translation>训练结束</translation>
    </message>
    <message>
        <source>Training finished after epoch {done}. Train how many more epochs?</source>
        <translation>训练在第 {done} 轮次后结束。要再训练多少个轮次？</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About cnnviz</source>
        <translation>关于 cnnviz</translation>
    </message>
    <message>
        <source>&lt;b&gt;cnnviz&lt;/b&gt; — watch a convolutional network learn: feature maps, sensitivity maps δ, pooling masks and weight updates, step by step.</source>
        <translation>&lt;b&gt;cnnviz&lt;/b&gt;——观看卷积神经网络学习：特征图、误差项 δ、池化掩码和权重更新，一步一步。</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
</context>
<context>
    <name>classes</name>
    <message>
        <source>T-shirt/top</source>
        <translation>T 恤/上衣</translation>
    </message>
    <message>
        <source>Trouser</source>
        <translation>裤子</translation>
    </message>
    <message>
        <source>Pullover</source>
        <translation>套头衫</translation>
    </message>
    <message>
        <source>Dress</source>
        <translation>连衣裙</translation>
    </message>
    <message>
        <source>Coat</source>
        <translation>外套</translation>
    </message>
    <message>
        <source>Sandal</source>
        <translation>凉鞋</translation>
    </message>
    <message>
        <source>Shirt</source>
        <translation>衬衫</translation>
    </message>
    <message>
        <source>Sneaker</source>
        <translation>运动鞋</translation>
    </message>
    <message>
        <source>Bag</source>
        <translation>包</translation>
    </message>
    <message>
        <source>Ankle boot</source>
        <translation>短靴</translation>
    </message>
    <message>
        <source>airplane</source>
        <translation>飞机</translation>
    </message>
    <message>
        <source>automobile</source>
        <translation>汽车</translation>
    </message>
    <message>
        <source>bird</source>
        <translation>鸟</translation>
    </message>
    <message>
        <source>cat</source>
        <translation>猫</translation>
    </message>
    <message>
        <source>deer</source>
        <translation>鹿</translation>
    </message>
    <message>
        <source>dog</source>
        <translation>狗</translation>
    </message>
    <message>
        <source>frog</source>
        <translation>青蛙</translation>
    </message>
    <message>
        <source>horse</source>
        <translation>马</translation>
    </message>
    <message>
        <source>ship</source>
        <translation>船</translation>
    </message>
    <message>
        <source>truck</source>
        <translation>卡车</translation>
    </message>
    <message>
        <source>circle</source>
        <translation>圆形</translation>
    </message>
    <message>
        <source>square</source>
        <translation>正方形</translation>
    </message>
    <message>
        <source>triangle</source>
        <translation>三角形</translation>
    </message>
    <message>
        <source>diamond</source>
        <translation>菱形</translation>
    </message>
    <message>
        <source>ring</source>
        <translation>圆环</translation>
    </message>
    <message>
        <source>plus</source>
        <translation>加号</translation>
    </message>
    <message>
        <source>cross</source>
        <translation>叉号</translation>
    </message>
    <message>
        <source>horizontal bars</source>
        <translation>横条纹</translation>
    </message>
    <message>
        <source>vertical bars</source>
        <translation>竖条纹</translation>
    </message>
    <message>
        <source>star</source>
        <translation>星形</translation>
    </message>
    <message>
        <source>vertical</source>
        <translation>竖线</translation>
    </message>
    <message>
        <source>horizontal</source>
        <translation>横线</translation>
    </message>
    <message>
        <source>diagonal /</source>
        <translation>斜线 /</translation>
    </message>
    <message>
        <source>diagonal \</source>
        <translation>斜线 \</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示本帮助并退出</translation>
    </message>
    <message>
        <source>unknown language {code!r} (choose zh_CN or en)</source>
        <translation>未知的语言 {code!r}（请选择 zh_CN 或 en）</translation>
    </message>
    <message>
        <source>cnnviz: error: {message}</source>
        <translation>cnnviz：错误：{message}</translation>
    </message>
    <message>
        <source>Watch a convolutional network learn. With no command, opens the app.</source>
        <translation>观看卷积神经网络的学习过程。不带命令时打开桌面程序。</translation>
    </message>
    <message>
        <source>open the app with a lecture preset</source>
        <translation>用一个课堂预设打开程序</translation>
    </message>
    <message>
        <source>dataset cache folder</source>
        <translation>数据集缓存目录</translation>
    </message>
    <message>
        <source>language of the app and of these messages: zh_CN or en</source>
        <translation>程序和这些提示的语言：zh_CN 或 en</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>input nested too deeply</source>
        <translation>输入嵌套过深</translation>
    </message>
    <message>
        <source>cnnviz: interrupted</source>
        <translation>cnnviz：已中断</translation>
    </message>
    <message>
        <source>dataset cache folder (default: $CNNVIZ_DATA_DIR or the user cache folder)</source>
        <translation>数据集缓存目录（默认：$CNNVIZ_DATA_DIR，否则为用户缓存目录）</translation>
    </message>
    <message>
        <source>list, download and inspect datasets</source>
        <translation>列出、下载和查看数据集</translation>
    </message>
    <message>
        <source>List, download and inspect the datasets cnnviz can train on.</source>
        <translation>列出、下载和查看 cnnviz 可以用来训练的数据集。</translation>
    </message>
    <message>
        <source>list the datasets and whether they are here</source>
        <translation>列出各数据集及其是否已在本机</translation>
    </message>
    <message>
        <source>download and verify datasets</source>
        <translation>下载并校验数据集</translation>
    </message>
    <message>
        <source>dataset name(s), e.g. mnist</source>
        <translation>数据集名称（可多个），例如 mnist</translation>
    </message>
    <message>
        <source>describe one dataset</source>
        <translation>介绍一个数据集</translation>
    </message>
    <message>
        <source>dataset name, or folder:PATH</source>
        <translation>数据集名称，或 folder:PATH</translation>
    </message>
    <message>
        <source>export a model to ONNX, safetensors or a PyTorch module</source>
        <translation>把模型导出为 ONNX、safetensors 或 PyTorch 模块</translation>
    </message>
    <message>
        <source>Write a model file&apos;s network as an ONNX graph (runs in onnxruntime, opens in Netron), its weights as safetensors under cnnviz&apos;s names, and/or a self-contained PyTorch nn.Module whose state_dict keys are those names. Needs pip install &apos;cnnviz[interop]&apos;.</source>
        <translation>把模型文件中的网络写成 ONNX 计算图（可在 onnxruntime 中运行，可用 Netron 打开），把其权重按 cnnviz 的名称写成 safetensors，和/或写成一个自包含的 PyTorch nn.Module（其 state_dict 的键就是这些名称）。需要 pip install &apos;cnnviz[interop]&apos;。</translation>
    </message>
    <message>
        <source>a model file (.cnnviz.npz)</source>
        <translation>模型文件（.cnnviz.npz）</translation>
    </message>
    <message>
        <source>write the network as ONNX here</source>
        <translation>把网络以 ONNX 格式写到这里</translation>
    </message>
    <message>
        <source>write the weights as safetensors here</source>
        <translation>把权重以 safetensors 格式写到这里</translation>
    </message>
    <message>
        <source>write a PyTorch module (a .py file) here</source>
        <translation>把 PyTorch 模块（一个 .py 文件）写到这里</translation>
    </message>
    <message>
        <source>ONNX opset (11–21, 17)</source>
        <translation>ONNX opset（11–21，默认 17）</translation>
    </message>
    <message>
        <source>check backpropagation against finite differences</source>
        <translation>用有限差分检验反向传播</translation>
    </message>
    <message>
        <source>Compare every parameter gradient (and the input gradient) of a network with central differences, and print the relative errors. Exits with 1 when any error exceeds {float64} (float64) or {float32} (float32).</source>
        <translation>把网络每个参数的梯度（以及输入的梯度）与中心差分比较，并打印相对误差。任何一个误差超过 {float64}（float64）或 {float32}（float32）时，以 1 退出。</translation>
    </message>
    <message>
        <source>a preset or a .toml/.json architecture file (default: {archs})</source>
        <translation>一个预设名或一个 .toml/.json 网络结构文件（默认：{archs}）</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <source>seed of the weights, input and sampling</source>
        <translation>权重、输入和抽样的随机种子</translation>
    </message>
    <message>
        <source>entries sampled per parameter (default 24)</source>
        <translation>每个参数抽取的元素数（默认 24）</translation>
    </message>
    <message>
        <source>import an ONNX model or safetensors weights as a model file</source>
        <translation>把 ONNX 模型或 safetensors 权重导入为模型文件</translation>
    </message>
    <message>
        <source>Turn an ONNX graph (a chain of Conv, Gemm, pooling and activations) or safetensors weights with an architecture file into a cnnviz model file. The input shape comes from the graph and is checked against the dataset. Needs pip install &apos;cnnviz[interop]&apos;.</source>
        <translation>把 ONNX 计算图（由 Conv、Gemm、池化和激活函数串成的链）或 safetensors 权重加一个网络结构文件，转成 cnnviz 模型文件。输入形状取自计算图，并与数据集核对。需要 pip install &apos;cnnviz[interop]&apos;。</translation>
    </message>
    <message>
        <source>an .onnx model or .safetensors weights</source>
        <translation>一个 .onnx 模型或 .safetensors 权重</translation>
    </message>
    <message>
        <source>the architecture of safetensors weights</source>
        <translation>safetensors 权重所属的网络结构</translation>
    </message>
    <message>
        <source>the dataset (default: the first that fits)</source>
        <translation>数据集（默认：第一个合适的）</translation>
    </message>
    <message>
        <source>the model file to write (FILE.cnnviz.npz)</source>
        <translation>要写入的模型文件（FILE.cnnviz.npz）</translation>
    </message>
    <message>
        <source>input mean per channel</source>
        <translation>每个通道的输入均值</translation>
    </message>
    <message>
        <source>input std per channel</source>
        <translation>每个通道的输入标准差</translation>
    </message>
    <message>
        <source>fold BatchNormalization into the conv or dense layer before it (by default it becomes a batch-norm layer)</source>
        <translation>把 BatchNormalization 折叠进它前面的卷积层或全连接层（默认导入为批归一化层）</translation>
    </message>
    <message>
        <source>leave Dropout out (by default it becomes a dropout layer)</source>
        <translation>去掉 Dropout（默认导入为随机失活层）</translation>
    </message>
    <message>
        <source>training throughput of the engine (and of PyTorch, when installed)</source>
        <translation>引擎的训练吞吐量（安装了 PyTorch 时也测 PyTorch）</translation>
    </message>
    <message>
        <source>Train a network (LeNet-5 unless --arch) on random data for a fixed time and print images/s of the NumPy engine and, when torch is installed, of PyTorch on the same network, with the same number of threads.</source>
        <translation>在随机数据上训练一个网络（未给 --arch 时为 LeNet-5）一段固定时间，打印 NumPy 引擎每秒处理的图像数；安装了 torch 时，也打印 PyTorch 在同一网络、同样线程数下的数字。</translation>
    </message>
    <message>
        <source>a preset name or a .json/.toml architecture file (default lenet5)</source>
        <translation>预设名或 .json/.toml 网络结构文件（默认 lenet5）</translation>
    </message>
    <message>
        <source>default 64</source>
        <translation>默认 64</translation>
    </message>
    <message>
        <source>time per framework (10)</source>
        <translation>每个框架的时间，秒（10）</translation>
    </message>
    <message>
        <source>threads (default: all cores)</source>
        <translation>线程数（默认：全部核心）</translation>
    </message>
    <message>
        <source>let the engine drop its trace during the step (what keeping it costs)</source>
        <translation>让引擎在一步之中丢弃中间量（用来衡量保留它们的代价）</translation>
    </message>
    <message>
        <source>measure the engine only</source>
        <translation>只测引擎</translation>
    </message>
    <message>
        <source>end with one line of JSON</source>
        <translation>最后输出一行 JSON</translation>
    </message>
    <message>
        <source>test accuracy and confusion matrix of a saved model</source>
        <translation>已保存模型的测试准确率和混淆矩阵</translation>
    </message>
    <message>
        <source>Evaluate a model file on the test set of its dataset (or of another one with the same image shape and number of classes) and print the confusion matrix.</source>
        <translation>在模型所用数据集的测试集上（或另一个图像形状和类别数相同的数据集上）评估模型文件，并打印混淆矩阵。</translation>
    </message>
    <message>
        <source>evaluate on this dataset instead</source>
        <translation>改用这个数据集评估</translation>
    </message>
    <message>
        <source>describe a saved model: architecture, training state, dataset</source>
        <translation>描述已保存的模型：网络结构、训练状态、数据集</translation>
    </message>
    <message>
        <source>Print the architecture of a model file as a table (output shapes and parameter counts), its training state and hyperparameters, and its dataset with the normalisation. The file is fully validated first.</source>
        <translation>以表格打印模型文件的网络结构（输出形状和参数数目）、训练状态和超参数，以及数据集和归一化方式。文件会先经过完整校验。</translation>
    </message>
    <message>
        <source>print one line of JSON instead</source>
        <translation>改为打印一行 JSON</translation>
    </message>
    <message>
        <source>train a network on a dataset</source>
        <translation>在数据集上训练网络</translation>
    </message>
    <message>
        <source>Train an architecture (a preset name or a .toml/.json file) on a dataset, showing progress on stderr and the test accuracy after each epoch. --resume continues a saved run; flags given explicitly override its hyperparameters. Ctrl-C stops after the current step and, with --out, saves the run so far (resumable with --resume); the exit status is then 130.</source>
        <translation>在数据集上训练一个网络结构（预设名或 .toml/.json 文件），在 stderr 上显示进度，并在每个轮次后显示测试准确率。--resume 继续一次已保存的训练；明确给出的选项覆盖其中的超参数。Ctrl-C 在当前这一步之后停止，若给了 --out 则保存目前的训练（可用 --resume 继续）；此时退出状态为 130。</translation>
    </message>
    <message>
        <source>preset or architecture file (default {default})</source>
        <translation>预设或网络结构文件（默认 {default}）</translation>
    </message>
    <message>
        <source>dataset (default {default})</source>
        <translation>数据集（默认 {default}）</translation>
    </message>
    <message>
        <source>total epochs, counting those already trained ({default})</source>
        <translation>总轮次，包括已训练的轮次（{default}）</translation>
    </message>
    <message>
        <source>batch size ({default})</source>
        <translation>批大小（{default}）</translation>
    </message>
    <message>
        <source>optimiser ({default}; nesterov is SGD with Nesterov momentum)</source>
        <translation>优化器（{default}；nesterov 即带 Nesterov 动量的 SGD）</translation>
    </message>
    <message>
        <source>learning rate ({sgd} for SGD and Nesterov; {others})</source>
        <translation>学习率（SGD 和 Nesterov 为 {sgd}；{others}）</translation>
    </message>
    <message>
        <source>{value} for {optimizer}</source>
        <translation>{optimizer} 为 {value}</translation>
    </message>
    <message>
        <source>SGD&apos;s momentum ({default})</source>
        <translation>SGD 的动量（{default}）</translation>
    </message>
    <message>
        <source>weight decay λ, L2, decoupled for adamw ({default} for SGD and Nesterov; PyTorch&apos;s for the others: 0.01 for adamw, else 0)</source>
        <translation>权重衰减 λ，L2，adamw 为解耦形式（SGD 和 Nesterov 为 {default}；其余与 PyTorch 相同：adamw 为 0.01，其他为 0）</translation>
    </message>
    <message>
        <source>Adam&apos;s and AdamW&apos;s betas ({default})</source>
        <translation>Adam 和 AdamW 的 beta（{default}）</translation>
    </message>
    <message>
        <source>ε added to the root mean square by adam, adamw, rmsprop ({default})</source>
        <translation>adam、adamw、rmsprop 加在均方根上的 ε（{default}）</translation>
    </message>
    <message>
        <source>RMSProp&apos;s decay α ({default})</source>
        <translation>RMSProp 的衰减系数 α（{default}）</translation>
    </message>
    <message>
        <source>initialise every conv and dense layer by {schemes} (normal:STD for another std than 0.01); default: suited to the activation that follows, or the architecture file&apos;s init</source>
        <translation>用 {schemes} 初始化每个卷积层和全连接层（normal:STD 指定 0.01 以外的标准差）；默认：按其后的激活函数选择，或用网络结构文件中的 init</translation>
    </message>
    <message>
        <source>learning-rate schedule ({default})</source>
        <translation>学习率调度（{default}）</translation>
    </message>
    <message>
        <source>seed ({default})</source>
        <translation>随机种子（{default}）</translation>
    </message>
    <message>
        <source>save the trained model here (e.g. {example})</source>
        <translation>把训练好的模型保存到这里（例如 {example}）</translation>
    </message>
    <message>
        <source>continue the run saved in a model file</source>
        <translation>继续模型文件中保存的训练</translation>
    </message>
    <message>
        <source>use only the first N training samples (give the same N again with --resume)</source>
        <translation>只用前 N 个训练样本（用 --resume 时再给同样的 N）</translation>
    </message>
    <message>
        <source>end with one line of JSON on stdout</source>
        <translation>最后在 stdout 上输出一行 JSON</translation>
    </message>
    <message>
        <source>reading {n} images of {folder}</source>
        <translation>正在读取 {folder} 中的 {n} 张图像</translation>
    </message>
    <message>
        <source>downloading {file}{size}</source>
        <translation>正在下载 {file}{size}</translation>
    </message>
    <message>
        <source>{folder}  {bar}{count} images</source>
        <translation>{folder}  {bar}{count} 张图像</translation>
    </message>
</context>
<context>
    <name>compare</name>
    <message>
        <source>Compare with another run</source>
        <translation>与另一次训练比较</translation>
    </message>
    <message>
        <source>cnnviz models (*.cnnviz.npz *.npz)</source>
        <translation>cnnviz 模型 (*.cnnviz.npz *.npz)</translation>
    </message>
</context>
<context>
    <name>concepts</name>
    <message>
        <source>Concepts</source>
        <translation>概念</translation>
    </message>
    <message>
        <source> (signed: white is 0)</source>
        <translation>（有符号：白色为 0）</translation>
    </message>
    <message>
        <source>from {lo} to {hi}</source>
        <translation>从 {lo} 到 {hi}</translation>
    </message>
    <message>
        <source>Where to see it in cnnviz</source>
        <translation>在 cnnviz 中哪里能看到</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>出处：</translation>
    </message>
    <message>
        <source>(Help ▸ References has the full citations)</source>
        <translation>（完整的文献信息见 帮助 ▸ 参考文献）</translation>
    </message>
    <message>
        <source>References…</source>
        <translation>参考文献…</translation>
    </message>
    <message>
        <source>Help ▸ Concepts: {page}</source>
        <translation>帮助 ▸ 概念：{page}</translation>
    </message>
    <message>
        <source>Concepts: {page}</source>
        <translation>概念：{page}</translation>
    </message>
</context>
<context>
    <name>confusion</name>
    <message>
        <source>No evaluation yet.
Press “Evaluate now”.</source>
        <translation>尚未评估。
请按“立即评估”。</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>predicted class →</source>
        <translation>预测类别 →</translation>
    </message>
    <message>
        <source>← true class</source>
        <translation>← 真实类别</translation>
    </message>
    <message>
        <source>Test set: not evaluated yet</source>
        <translation>测试集：尚未评估</translation>
    </message>
    <message>
        <source>Evaluate now</source>
        <translation>立即评估</translation>
    </message>
    <message>
        <source>Classify the whole test set with the current weights</source>
        <translation>用当前权重对整个测试集分类</translation>
    </message>
    <message>
        <source>Click a cell to see its test samples.</source>
        <translation>点击一个格子，查看其中的测试样本。</translation>
    </message>
    <message>
        <source>Test accuracy {accuracy} at step {step}</source>
        <translation>第 {step} 步的测试准确率 {accuracy}</translation>
    </message>
    <message>
        <source>{n} test samples · test loss {loss}</source>
        <translation>{n} 个测试样本 · 测试损失 {loss}</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted}</source>
        <translation>真实类别 {true}，预测为 {predicted}</translation>
    </message>
    <message>
        <source> (correct)</source>
        <translation>（正确）</translation>
    </message>
    <message>
        <source>{what}: the test labels are not known.</source>
        <translation>{what}：测试标签未知。</translation>
    </message>
    <message>
        <source>{what}: the evaluation has {n} predictions but the test set {m} labels.</source>
        <translation>{what}：评估有 {n} 个预测，而测试集有 {m} 个标签。</translation>
    </message>
    <message>
        <source>, showing the first {k}</source>
        <translation>，显示前 {k} 个</translation>
    </message>
    <message>
        <source> (click one to trace it)</source>
        <translation>（点击其中一个即可追踪它）</translation>
    </message>
    <message>
        <source>{what}: {n} sample</source>
        <translation>{what}：{n} 个样本</translation>
    </message>
    <message>
        <source>{what}: {n} samples</source>
        <translation>{what}：{n} 个样本</translation>
    </message>
    <message>
        <source>test #{index}: true {true}, predicted {predicted}</source>
        <translation>测试样本 #{index}：真实 {true}，预测 {predicted}</translation>
    </message>
</context>
<context>
    <name>controls</name>
    <message>
        <source>per map</source>
        <translation>逐特征图</translation>
    </message>
    <message>
        <source>shared per layer</source>
        <translation>每层共享</translation>
    </message>
    <message>
        <source>fixed range</source>
        <translation>固定范围</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>From one phase a second (lectures) to full speed</source>
        <translation>从每秒一个阶段（讲课用）到全速</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 η</translation>
    </message>
    <message>
        <source>optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>The optimiser in use (Train ▸ Optimiser… changes it)</source>
        <translation>正在使用的优化器（在“训练 ▸ 优化器…”中更改）</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Momentum μ</source>
        <translation>动量 μ</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Architecture (starts a new network)</source>
        <translation>网络结构（会新建一个网络）</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Dataset (starts a new network)</source>
        <translation>数据集（会新建一个网络）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Colour scaling of the maps</source>
        <translation>特征图的颜色缩放</translation>
    </message>
    <message>
        <source>Momentum μ: not used by {name} (Train ▸ Optimiser… sets its own)</source>
        <translation>动量 μ：{name} 不使用（它自己的参数在“训练 ▸ 优化器…”中设置）</translation>
    </message>
</context>
<context>
    <name>convcanvas</name>
    <message>
        <source>Choose an example</source>
        <translation>请选择一个示例</translation>
    </message>
    <message>
        <source>patch</source>
        <translation>局部块</translation>
    </message>
    <message>
        <source>products  Σ = {sum}</source>
        <translation>乘积  Σ = {sum}</translation>
    </message>
    <message>
        <source>showing input map {c} of {n}: the sum below adds every map</source>
        <translation>显示输入特征图 {c}（共 {n} 个）：下面的求和把每个特征图都加起来</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>zero padding</source>
        <translation>补零</translation>
    </message>
    <message>
        <source>zeros inserted (stride)</source>
        <translation>插入的零（步幅）</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>δ[{c}] with zeros</source>
        <translation>补零后的 δ[{c}]</translation>
    </message>
    <message>
        <source>input x</source>
        <translation>输入 x</translation>
    </message>
    <message>
        <source>x[{c}]: the input map {c}</source>
        <translation>x[{c}]：输入特征图 {c}</translation>
    </message>
    <message>
        <source>δ (window)</source>
        <translation>δ（窗口）</translation>
    </message>
</context>
<context>
    <name>convexplainer</name>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Step ▸</source>
        <translation>单步 ▸</translation>
    </message>
    <message>
        <source>⟲ Restart</source>
        <translation>⟲ 重新开始</translation>
    </message>
    <message>
        <source>one product at a time</source>
        <translation>逐个乘积</translation>
    </message>
    <message>
        <source>output map </source>
        <translation>输出特征图 </translation>
    </message>
    <message>
        <source>input map </source>
        <translation>输入特征图 </translation>
    </message>
    <message>
        <source>speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>Live network: {layer} ({maps} maps, {size})</source>
        <translation>实时网络：{layer}（{maps} 个特征图，{size}）</translation>
    </message>
    <message>
        <source>Source: </source>
        <translation>出处：</translation>
    </message>
    <message>
        <source>window {k} of {n}: </source>
        <translation>窗口 {k} / {n}：</translation>
    </message>
    <message>
        <source> + … ({n} products, Σ = {sum})</source>
        <translation> + …（{n} 个乘积，Σ = {sum}）</translation>
    </message>
    <message>
        <source> (one sum per δ map)</source>
        <translation>（每个 δ 特征图一个和）</translation>
    </message>
    <message>
        <source> (one sum per input map)</source>
        <translation>（每个输入特征图一个和）</translation>
    </message>
    <message>
        <source>   (running sum after {k} of {n}: {sum})</source>
        <translation>   （{n} 项中前 {k} 项的累加和：{sum}）</translation>
    </message>
    <message>
        <source>engine {value}</source>
        <translation>引擎 {value}</translation>
    </message>
</context>
<context>
    <name>descriptions</name>
    <message>
        <source>handwriting-like digits drawn from stroke templates with random pen, slant, warp and noise (made on the fly, no download)</source>
        <translation>由笔画模板生成的类手写数字，笔触、倾斜、形变和噪声随机（即时生成，无需下载）</translation>
    </message>
    <message>
        <source>coloured shapes (circle, square, triangle, ...) of random size, colour and position on varied backgrounds</source>
        <translation>各种背景上大小、颜色和位置随机的彩色形状（圆、正方形、三角形……）</translation>
    </message>
    <message>
        <source>a tiny set of vertical, horizontal and diagonal strokes; first-layer filters turn into edge detectors</source>
        <translation>一个很小的竖线、横线和斜线数据集；第一层卷积核会变成边缘检测器</translation>
    </message>
    <message>
        <source>MNIST handwritten digits (LeCun, Cortes and Burges)</source>
        <translation>MNIST 手写数字（LeCun、Cortes 和 Burges）</translation>
    </message>
    <message>
        <source>Fashion-MNIST: Zalando article images, a drop-in replacement for MNIST</source>
        <translation>Fashion-MNIST：Zalando 商品图片，可直接替换 MNIST</translation>
    </message>
    <message>
        <source>Kuzushiji-MNIST: ten cursive Japanese hiragana characters</source>
        <translation>Kuzushiji-MNIST：十个草书日文平假名</translation>
    </message>
    <message>
        <source>CIFAR-10: small colour photos of ten object classes (binary version)</source>
        <translation>CIFAR-10：十类物体的小幅彩色照片（二进制版本）</translation>
    </message>
    <message>
        <source>LeNet-5 with ReLU, max pooling and softmax cross-entropy</source>
        <translation>使用 ReLU、最大池化和 softmax 交叉熵的 LeNet-5</translation>
    </message>
    <message>
        <source>LeNet-5 as in the 1998 paper: trainable subsampling (β, b), scaled tanh, C3&apos;s connection table, squared error</source>
        <translation>1998 年论文中的 LeNet-5：可训练的下采样（β, b）、缩放 tanh、C3 的连接表、平方误差</translation>
    </message>
    <message>
        <source>one convolution, as in the MNIST walk-through: 8 filters 3×3, max-pool 2, softmax</source>
        <translation>只有一个卷积层，同 MNIST 入门示例：8 个 3×3 卷积核、2×2 最大池化、softmax</translation>
    </message>
    <message>
        <source>a small network for single-stepping in a lecture</source>
        <translation>一个适合在课堂上单步演示的小网络</translation>
    </message>
    <message>
        <source>a small network for 3-channel 32×32 input</source>
        <translation>一个用于 3 通道 32×32 输入的小网络</translation>
    </message>
    <message>
        <source>the keras.io Simple MNIST convnet: conv 32@3×3, max-pool, conv 64@3×3, max-pool, dropout 0.5, softmax (train with Adam 1e-3, batch 128)</source>
        <translation>keras.io 的 Simple MNIST convnet：卷积 32@3×3、最大池化、卷积 64@3×3、最大池化、随机失活 0.5、softmax（用 Adam 1e-3、批大小 128 训练）</translation>
    </message>
    <message>
        <source>three conv 3×3 / ReLU / max-pool blocks (32, 32, 64) and two dense layers, for 3×32×32 images</source>
        <translation>三个“3×3 卷积 / ReLU / 最大池化”块（32、32、64）和两个全连接层，用于 3×32×32 图像</translation>
    </message>
    <message>
        <source>cifar-small with batch norm after each convolution and dropout before the last dense layer</source>
        <translation>在 cifar-small 的每个卷积后加批归一化、最后一个全连接层前加随机失活</translation>
    </message>
    <message>
        <source>a small network using every layer type (for gradient checks)</source>
        <translation>一个用到所有层类型的小网络（用于梯度检验）</translation>
    </message>
</context>
<context>
    <name>draw</name>
    <message>
        <source>Draw with the left button or a pen; the right button erases</source>
        <translation>用鼠标左键或手写笔书写；右键擦除</translation>
    </message>
    <message>
        <source>draw a digit here
(right button erases)</source>
        <translation>在这里写一个数字
（右键擦除）</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测的类别</translation>
    </message>
    <message>
        <source>Draw your own input</source>
        <translation>手写你自己的输入</translation>
    </message>
    <message>
        <source>nothing drawn yet</source>
        <translation>还没有书写</translation>
    </message>
    <message>
        <source>The target of the loss: backpropagation starts from δ = ∂E/∂u for this label</source>
        <translation>损失的目标：反向传播从这个标签的 δ = ∂E/∂u 开始</translation>
    </message>
    <message>
        <source>Live: run the network while drawing</source>
        <translation>实时：一边书写一边运行网络</translation>
    </message>
    <message>
        <source>Brush radius</source>
        <translation>笔刷半径</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the drawing (Del)</source>
        <translation>清除手写内容（Del）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z on this tab)</source>
        <translation>撤销上一笔（在本标签页按 Ctrl+Z）</translation>
    </message>
    <message>
        <source>Run backward on this label</source>
        <translation>按此标签做反向传播</translation>
    </message>
    <message>
        <source>Forward and backward on the drawing with the chosen target label (no update)</source>
        <translation>用所选的目标标签对手写输入做前向与反向传播（不更新权重）</translation>
    </message>
    <message>
        <source>Target label</source>
        <translation>目标标签</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>笔刷</translation>
    </message>
    <message>
        <source>Prepared like MNIST: centre of mass centred, scaled into a 20×20 box.</source>
        <translation>像 MNIST 一样预处理：质心居中，缩放到 20×20 的方框内。</translation>
    </message>
    <message>
        <source>the drawing canvas needs a (C, H, W) input, got {shape}</source>
        <translation>手写画板需要形状为 (C, H, W) 的输入，得到的是 {shape}</translation>
    </message>
    <message>
        <source>As the network sees it ({h}×{w})</source>
        <translation>网络看到的样子（{h}×{w}）</translation>
    </message>
    <message>
        <source>network says {predicted} ({confidence} %)</source>
        <translation>网络预测为 {predicted}（{confidence} %）</translation>
    </message>
    <message>
        <source>Finish the step under way (→) to run the drawing through the network</source>
        <translation>先完成进行中的这一步（→），再让手写输入通过网络</translation>
    </message>
</context>
<context>
    <name>export</name>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export view</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>could not write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Export panel</source>
        <translation>导出面板</translation>
    </message>
    <message>
        <source>Panel</source>
        <translation>面板</translation>
    </message>
    <message>
        <source>no panel named {name} to export</source>
        <translation>没有名为 {name} 的面板可导出</translation>
    </message>
    <message>
        <source>Export {name}</source>
        <translation>导出“{name}”</translation>
    </message>
    <message>
        <source>could not export {name}: {error}</source>
        <translation>无法导出“{name}”：{error}</translation>
    </message>
    <message>
        <source>Exported {name} to {path}</source>
        <translation>已将“{name}”导出到 {path}</translation>
    </message>
    <message>
        <source>the timeline has fewer than two snapshots yet: train for a while</source>
        <translation>时间线上的快照还不到两个：请先训练一会儿</translation>
    </message>
    <message>
        <source>Export filters as GIF</source>
        <translation>将卷积核导出为 GIF</translation>
    </message>
    <message>
        <source>could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>Wrote {path} ({n} frames)</source>
        <translation>已写入 {path}（{n} 帧）</translation>
    </message>
    <message>
        <source>Export backward sweep as GIF</source>
        <translation>将反向传播过程导出为 GIF</translation>
    </message>
    <message>
        <source>could not compute the backward sweep: {error}</source>
        <translation>无法计算反向传播过程：{error}</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Path without extension</source>
        <translation>路径（不含扩展名）</translation>
    </message>
    <message>
        <source>ONNX (.onnx): opens in Netron, runs in onnxruntime</source>
        <translation>ONNX（.onnx）：可在 Netron 中打开，可用 onnxruntime 运行</translation>
    </message>
    <message>
        <source>safetensors (.safetensors): the weights and batch-norm statistics</source>
        <translation>safetensors（.safetensors）：权重和批归一化的统计量</translation>
    </message>
    <message>
        <source>PyTorch module (.py): an nn.Module whose state_dict keys are those of the safetensors file</source>
        <translation>PyTorch 模块（.py）：一个 nn.Module，其 state_dict 的键与 safetensors 文件相同</translation>
    </message>
    <message>
        <source>Docs: docs/interop.md (what each file holds)</source>
        <translation>文档：docs/interop.md（每个文件包含什么）</translation>
    </message>
    <message>
        <source>could not export the model: {error}</source>
        <translation>无法导出模型：{error}</translation>
    </message>
    <message>
        <source>Exported {paths}</source>
        <translation>已导出 {paths}</translation>
    </message>
</context>
<context>
    <name>files</name>
    <message>
        <source>cnnviz models (*.cnnviz.npz *.npz);;All files (*)</source>
        <translation>cnnviz 模型 (*.cnnviz.npz *.npz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Models (*.cnnviz.npz *.npz *.onnx);;cnnviz models (*.cnnviz.npz *.npz);;ONNX models (*.onnx);;All files (*)</source>
        <translation>模型 (*.cnnviz.npz *.npz *.onnx);;cnnviz 模型 (*.cnnviz.npz *.npz);;ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>New network</source>
        <translation>新建网络</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>图像文件夹…</translation>
    </message>
    <message>
        <source>Your own images: a folder with one subfolder per class</source>
        <translation>你自己的图像：一个文件夹，每个类别一个子文件夹</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Choose an image folder (one subfolder per class)</source>
        <translation>选择图像文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <source>your images, one subfolder per class</source>
        <translation>你的图像，每个类别一个子文件夹</translation>
    </message>
    <message>
        <source>Unsaved training</source>
        <translation>训练尚未保存</translation>
    </message>
    <message>
        <source>{what}? The training since the last save will be lost.</source>
        <translation>{what}？上次保存之后的训练将会丢失。</translation>
    </message>
    <message>
        <source>{arch} on {dataset}</source>
        <translation>{arch}（数据集 {dataset}）</translation>
    </message>
    <message>
        <source>Start a new network</source>
        <translation>新建网络</translation>
    </message>
    <message>
        <source>Preparing {arch} on {dataset}…</source>
        <translation>正在准备 {arch}（数据集 {dataset}）…</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Open another model</source>
        <translation>打开另一个模型</translation>
    </message>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
</context>
<context>
    <name>gradcheck</name>
    <message>
        <source>current batch</source>
        <translation>当前批</translation>
    </message>
    <message>
        <source>test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>noise (as cnnviz gradcheck)</source>
        <translation>噪声（同 cnnviz gradcheck）</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>entries</source>
        <translation>元素数</translation>
    </message>
    <message>
        <source>rel. error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Gradient check: backprop against finite differences</source>
        <translation>梯度检验：反向传播与有限差分对照</translation>
    </message>
    <message>
        <source>rel. error = ‖g&lt;sub&gt;backprop&lt;/sub&gt; − g&lt;sub&gt;numeric&lt;/sub&gt;‖ / (‖g&lt;sub&gt;backprop&lt;/sub&gt;‖ + ‖g&lt;sub&gt;numeric&lt;/sub&gt;‖), with g&lt;sub&gt;numeric&lt;/sub&gt; = (E(θ+ε) − E(θ−ε)) / 2ε on a float64 copy of the network; OK up to {threshold}</source>
        <translation>相对误差 = ‖g&lt;sub&gt;backprop&lt;/sub&gt; − g&lt;sub&gt;numeric&lt;/sub&gt;‖ / (‖g&lt;sub&gt;backprop&lt;/sub&gt;‖ + ‖g&lt;sub&gt;numeric&lt;/sub&gt;‖)，其中 g&lt;sub&gt;numeric&lt;/sub&gt; = (E(θ+ε) − E(θ−ε)) / 2ε，在网络的 float64 副本上计算；不超过 {threshold} 即为 OK</translation>
    </message>
    <message>
        <source>Run check</source>
        <translation>运行检验</translation>
    </message>
    <message>
        <source>Compare backprop with central differences on the live weights</source>
        <translation>在当前权重上把反向传播与中心差分对照</translation>
    </message>
    <message>
        <source>Input of the check: the first samples of the current training batch, of the test set, or the standard normal noise cnnviz gradcheck uses</source>
        <translation>检验的输入：当前训练批的前几个样本、测试集的前几个样本，或 cnnviz gradcheck 所用的标准正态噪声</translation>
    </message>
    <message>
        <source>samples checked at once</source>
        <translation>一次检验的样本数</translation>
    </message>
    <message>
        <source>entries sampled per parameter</source>
        <translation>每个参数抽取的元素数</translation>
    </message>
    <message>
        <source>seed of the sampling (and of the noise)</source>
        <translation>抽样（及噪声）的随机种子</translation>
    </message>
    <message>
        <source>The conv filter whose every entry is compared below</source>
        <translation>下方逐元素比较的卷积核</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>元素数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Press “Run check” to compare backprop with finite differences.</source>
        <translation>按“运行检验”，把反向传播与有限差分对照。</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>∂E/∂W by backprop</source>
        <translation>反向传播得到的 ∂E/∂W</translation>
    </message>
    <message>
        <source>∂E/∂W by finite differences</source>
        <translation>有限差分得到的 ∂E/∂W</translation>
    </message>
    <message>
        <source>run a check</source>
        <translation>请运行一次检验</translation>
    </message>
    <message>
        <source>relative error per entry (log scale)</source>
        <translation>每个元素的相对误差（对数刻度）</translation>
    </message>
    <message>
        <source>|g_backprop − g_numeric| / (|g_backprop| + |g_numeric|) for every entry; an entry a thousand times smaller than the filter&apos;s largest is measured against that (a finite difference has no relative precision left there)</source>
        <translation>每个元素的 |g_backprop − g_numeric| / (|g_backprop| + |g_numeric|)；比该卷积核最大元素小一千倍的元素以那个最大值为基准衡量（在那里有限差分已没有相对精度）</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>检验中…</translation>
    </message>
    <message>
        <source>{layer} · filter {k} of {n}</source>
        <translation>{layer} · 卷积核 {k} / {n}</translation>
    </message>
    <message>
        <source>The check failed to run</source>
        <translation>检验未能运行</translation>
    </message>
    <message>
        <source>FAIL (round-off)</source>
        <translation>FAIL（舍入误差）</translation>
    </message>
    <message>
        <source>Step {step}, {input}; up to {entries} random entries per parameter (seed {seed}); “input” is ∂E/∂x.</source>
        <translation>第 {step} 步，{input}；每个参数最多随机抽取 {entries} 个元素（种子 {seed}）；“input” 即 ∂E/∂x。</translation>
    </message>
    <message>
        <source>A FAIL that passes with a larger ε is round-off (a small gradient beside a large loss), not a wrong backward pass; one that stays is a bug.</source>
        <translation>用更大的 ε 就能通过的 FAIL 是舍入误差（大损失旁的小梯度），并非反向传播算错；仍然 FAIL 的才是程序错误。</translation>
    </message>
    <message>
        <source>✓ Backprop agrees with finite differences</source>
        <translation>✓ 反向传播与有限差分一致</translation>
    </message>
    <message>
        <source>all {n} OK, max rel. error {worst}</source>
        <translation>全部 {n} 项 OK，最大相对误差 {worst}</translation>
    </message>
    <message>
        <source>✗ {k} of {n} above the threshold</source>
        <translation>✗ {n} 项中有 {k} 项超过阈值</translation>
    </message>
    <message>
        <source>but it passes with ε = {eps}: round-off, not backprop</source>
        <translation>但用 ε = {eps} 时能通过：是舍入误差，不是反向传播的问题</translation>
    </message>
    <message>
        <source>but they pass with ε = {eps}: round-off, not backprop</source>
        <translation>但用 ε = {eps} 时都能通过：是舍入误差，不是反向传播的问题</translation>
    </message>
    <message>
        <source>✗ Backprop disagrees: {k} of {n} FAIL</source>
        <translation>✗ 反向传播不一致：{n} 项中 {k} 项 FAIL</translation>
    </message>
    <message>
        <source>max rel. error {worst}</source>
        <translation>最大相对误差 {worst}</translation>
    </message>
    <message>
        <source>{architecture} at step {step}</source>
        <translation>{architecture}，第 {step} 步</translation>
    </message>
    <message>
        <source>{input}, labels {labels}</source>
        <translation>{input}，标签 {labels}</translation>
    </message>
    <message>
        <source>{n} parameters</source>
        <translation>{n} 个参数</translation>
    </message>
    <message>
        <source>this network has no conv layer</source>
        <translation>该网络没有卷积层</translation>
    </message>
    <message>
        <source>{shape} = {n} entries</source>
        <translation>{shape} = {n} 个元素</translation>
    </message>
    <message>
        <source>{shape} entries</source>
        <translation>{shape} 个元素</translation>
    </message>
    <message>
        <source>, {n} held at zero by the connection table (hatched)</source>
        <translation>，其中 {n} 个被连接表固定为零（斜线标出）</translation>
    </message>
    <message>
        <source>its gradient is exactly zero for these samples (the filter&apos;s outputs never pass the ReLU), so both sides agree trivially</source>
        <translation>对这些样本，它的梯度恰好为零（该卷积核的输出从未通过 ReLU），所以两边自然一致</translation>
    </message>
    <message>
        <source>1 entry</source>
        <translation>1 个元素</translation>
    </message>
    <message>
        <source>{n} entries</source>
        <translation>{n} 个元素</translation>
    </message>
    <message>
        <source>{what} just above {threshold} (max {max}): the precision limit of finite differences; the whole filter {overall}</source>
        <translation>{what}略高于 {threshold}（最大 {max}）：这是有限差分的精度极限；整个卷积核为 {overall}</translation>
    </message>
    <message>
        <source>{what} above {threshold}, max {max}; the whole filter {overall}</source>
        <translation>{what}超过 {threshold}，最大 {max}；整个卷积核为 {overall}</translation>
    </message>
    <message>
        <source>every entry agrees: max rel. error {max}</source>
        <translation>每个元素都一致：最大相对误差 {max}</translation>
    </message>
    <message>
        <source> (step {step})</source>
        <translation>（第 {step} 步）</translation>
    </message>
    <message>
        <source>{layer}, filter {k} of {n}</source>
        <translation>{layer}，卷积核 {k} / {n}</translation>
    </message>
    <message>
        <source>zero gradient</source>
        <translation>梯度为零</translation>
    </message>
    <message>
        <source>input {k}</source>
        <translation>输入 {k}</translation>
    </message>
    <message>
        <source>threshold {value}</source>
        <translation>阈值 {value}</translation>
    </message>
    <message>
        <source>agree</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>disagree</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>input {k}, row {i}, column {j}</source>
        <translation>输入 {k}，第 {i} 行，第 {j} 列</translation>
    </message>
    <message>
        <source>: held at zero by the connection table (not compared)</source>
        <translation>：被连接表固定为零（不比较）</translation>
    </message>
    <message>
        <source>rel. error {e}</source>
        <translation>相对误差 {e}</translation>
    </message>
    <message>
        <source>backprop {a}
numeric  {n}</source>
        <translation>反向传播 {a}
数值差分 {n}</translation>
    </message>
</context>
<context>
    <name>histogram</name>
    <message>
        <source>max {n}</source>
        <translation>最大 {n}</translation>
    </message>
</context>
<context>
    <name>inspector</name>
    <message>
        <source>activation f(u)</source>
        <translation>激活值 f(u)</translation>
    </message>
    <message>
        <source>net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>sensitivity δ = ∂E/∂u</source>
        <translation>误差项 δ = ∂E/∂u</translation>
    </message>
    <message>
        <source>∂E/∂input (sent back)</source>
        <translation>∂E/∂x（传回前一层）</translation>
    </message>
    <message>
        <source>sensitivity δ</source>
        <translation>误差项 δ</translation>
    </message>
    <message>
        <source>smallest activation of this sample</source>
        <translation>该样本最小的激活值</translation>
    </message>
    <message>
        <source>largest activation of this sample</source>
        <translation>该样本最大的激活值</translation>
    </message>
    <message>
        <source>mean activation of this sample</source>
        <translation>该样本激活值的均值</translation>
    </message>
    <message>
        <source>standard deviation of the activations of this sample</source>
        <translation>该样本激活值的标准差</translation>
    </message>
    <message>
        <source>norm of the weights</source>
        <translation>权重的范数</translation>
    </message>
    <message>
        <source>norm of the gradient of the batch loss</source>
        <translation>本批损失的梯度的范数</translation>
    </message>
    <message>
        <source>size of the last update relative to the weights</source>
        <translation>最近一次更新相对于权重的大小</translation>
    </message>
    <message>
        <source>norm of the subsampling coefficients β</source>
        <translation>下采样系数 β 的范数</translation>
    </message>
    <message>
        <source>norm of the gradient of the batch loss with respect to β</source>
        <translation>本批损失对 β 的梯度的范数</translation>
    </message>
    <message>
        <source>size of the last update relative to β</source>
        <translation>最近一次更新相对于 β 的大小</translation>
    </message>
    <message>
        <source>norm of this sample&apos;s sensitivities</source>
        <translation>该样本误差项的范数</translation>
    </message>
    <message>
        <source>units that are zero for every sample of the batch</source>
        <translation>对本批每个样本都为零的单元</translation>
    </message>
    <message>
        <source>min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>dead ReLUs</source>
        <translation>死亡 ReLU</translation>
    </message>
    <message>
        <source>input x</source>
        <translation>输入 x</translation>
    </message>
    <message>
        <source>output u (no activation)</source>
        <translation>输出 u（无激活函数）</translation>
    </message>
    <message>
        <source>∂E/∂input</source>
        <translation>∂E/∂x（输入）</translation>
    </message>
    <message>
        <source>channels R, G, B</source>
        <translation>通道 R、G、B</translation>
    </message>
    <message>
        <source>pool input x, argmax bright</source>
        <translation>池化的输入 x（argmax 处高亮）</translation>
    </message>
    <message>
        <source>The input of the sample</source>
        <translation>样本的输入</translation>
    </message>
    <message>
        <source>a row of kernels per filter (output map), a column per input channel</source>
        <translation>每个滤波器（输出特征图）一行卷积核，每个输入通道一列</translation>
    </message>
    <message>
        <source>a row per output unit, a column per input</source>
        <translation>每个输出单元一行，每个输入一列</translation>
    </message>
    <message>
        <source>β and bias</source>
        <translation>β 与偏置</translation>
    </message>
    <message>
        <source>Max pooling routes δ to the argmax of each window (the inputs left bright, ringed when enlarged) and 0 to every other input.</source>
        <translation>最大池化把 δ 传给每个窗口的 argmax（保持高亮的输入，放大时带圆圈），其余输入得到 0。</translation>
    </message>
    <message>
        <source>Mean pooling spreads δ/n² evenly over each n×n window (n = {n}: δ/{nn}).</source>
        <translation>平均池化把 δ/n² 均匀分给每个 n×n 窗口（n = {n}：δ/{nn}）。</translation>
    </message>
    <message>
        <source>Mean pooling spreads δ/n² evenly over each n×n window.</source>
        <translation>平均池化把 δ/n² 均匀分给每个 n×n 窗口。</translation>
    </message>
    <message>
        <source>Lp pooling y = (Σ|xᵢ|ᵖ)^(1/p) gives ∂E/∂xᵢ = δ·y^(1−p)·|xᵢ|^(p−1)·sign(xᵢ): the largest inputs get most of δ.</source>
        <translation>Lp 池化 y = (Σ|xᵢ|ᵖ)^(1/p) 给出 ∂E/∂xᵢ = δ·y^(1−p)·|xᵢ|^(p−1)·sign(xᵢ)：最大的输入得到 δ 的大部分。</translation>
    </message>
    <message>
        <source>Subsampling u = β·down(x) + b (Bouvrie): ∂E/∂x = β·up(δ), ∂E/∂β = Σ δ∘down(x), ∂E/∂b = Σ δ.</source>
        <translation>下采样 u = β·down(x) + b（Bouvrie）：∂E/∂x = β·up(δ)，∂E/∂β = Σ δ∘down(x)，∂E/∂b = Σ δ。</translation>
    </message>
    <message>
        <source>batch norm uses this batch&apos;s statistics μ, σ²</source>
        <translation>批归一化使用本批的统计量 μ、σ²</translation>
    </message>
    <message>
        <source>batch norm uses the running statistics</source>
        <translation>批归一化使用滑动统计量</translation>
    </message>
    <message>
        <source>dropout mask on</source>
        <translation>随机失活掩码开启</translation>
    </message>
    <message>
        <source>dropout off (every unit kept)</source>
        <translation>随机失活关闭（保留每个单元）</translation>
    </message>
    <message>
        <source>training mode</source>
        <translation>训练模式</translation>
    </message>
    <message>
        <source>evaluation mode</source>
        <translation>评估模式</translation>
    </message>
    <message>
        <source>training mode: batch statistics, dropout on</source>
        <translation>训练模式：批统计量，随机失活开启</translation>
    </message>
    <message>
        <source>evaluation mode: running statistics, dropout off</source>
        <translation>评估模式：滑动统计量，随机失活关闭</translation>
    </message>
    <message>
        <source>Layer inspector</source>
        <translation>层检查器</translation>
    </message>
    <message>
        <source>No data yet: take a training step to see a layer in depth.</source>
        <translation>还没有数据：执行一个训练步，即可深入查看一层。</translation>
    </message>
    <message>
        <source>Maps of the sample</source>
        <translation>样本的特征图</translation>
    </message>
    <message>
        <source>Pooling: how δ goes back</source>
        <translation>池化层：δ 如何传回</translation>
    </message>
    <message>
        <source>pool input x</source>
        <translation>池化的输入 x</translation>
    </message>
    <message>
        <source>δ of the pooled maps</source>
        <translation>池化后特征图的 δ</translation>
    </message>
    <message>
        <source>δ routed back: ∂E/∂x</source>
        <translation>传回的 δ：∂E/∂x</translation>
    </message>
    <message>
        <source>Weights and their last update</source>
        <translation>权重及其最近一次更新</translation>
    </message>
    <message>
        <source>W shows:</source>
        <translation>W 显示：</translation>
    </message>
    <message>
        <source>after the update: W</source>
        <translation>更新后：W</translation>
    </message>
    <message>
        <source>before it: W − ΔW</source>
        <translation>更新前：W − ΔW</translation>
    </message>
    <message>
        <source>W (after the update)</source>
        <translation>W（更新后）</translation>
    </message>
    <message>
        <source>gradient ∂E/∂W</source>
        <translation>权重梯度 ∂E/∂W</translation>
    </message>
    <message>
        <source>update ΔW = −η·v</source>
        <translation>更新量 ΔW = −η·v</translation>
    </message>
    <message>
        <source>Biases</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>update Δ{symbol}</source>
        <translation>更新量 Δ{symbol}</translation>
    </message>
    <message>
        <source>Histograms: the layer&apos;s parameters, the sample&apos;s maps</source>
        <translation>直方图：该层的参数，样本的特征图</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the enlarged map (Esc)</source>
        <translation>关闭放大的特征图（Esc）</translation>
    </message>
    <message>
        <source>not computed:
the first layer does not need ∂E/∂input</source>
        <translation>未计算：
第一层不需要 ∂E/∂x</translation>
    </message>
    <message>
        <source>not needed:
nothing before the first layer</source>
        <translation>不需要：
第一层之前没有层</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>W − ΔW (before the update)</source>
        <translation>W − ΔW（更新前）</translation>
    </message>
    <message>
        <source>no update yet</source>
        <translation>尚无更新</translation>
    </message>
    <message>
        <source>not available for this stage</source>
        <translation>该层没有此项</translation>
    </message>
    <message>
        <source>not computed for this batch yet: it fills in as the step runs</source>
        <translation>本批尚未计算：随着这一步的执行逐步填入</translation>
    </message>
    <message>
        <source>Enlarged: {title}</source>
        <translation>放大：{title}</translation>
    </message>
</context>
<context>
    <name>lecture</name>
    <message>
        <source>Lecture presets (*.json);;All files (*)</source>
        <translation>课堂预设 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Presentation scale {factor}×</source>
        <translation>演示缩放 {factor}×</translation>
    </message>
    <message>
        <source>Open lecture preset</source>
        <translation>打开课堂预设</translation>
    </message>
    <message>
        <source>Save lecture preset</source>
        <translation>保存课堂预设</translation>
    </message>
    <message>
        <source>could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved lecture preset {path}</source>
        <translation>已保存课堂预设 {path}</translation>
    </message>
</context>
<context>
    <name>lessons</name>
    <message>
        <source>“一个新的激活函数——Relu” (a new activation function, ReLU): f(x) = max(0, x)</source>
        <translation>“一个新的激活函数——Relu”: f(x) = max(0, x)</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>the activation b = f(a) of a layer</source>
        <translation>一层的激活值 b = f(a)</translation>
    </message>
    <message>
        <source>§2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)</source>
        <translation>§2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)</translation>
    </message>
    <message>
        <source>§2.1: the output of a layer xˡ = f(uˡ), f the logistic function or tanh</source>
        <translation>§2.1: 一层的输出 xˡ = f(uˡ), f 为 logistic 函数或 tanh</translation>
    </message>
    <message>
        <source>§2.1: xˡ = f(uˡ)</source>
        <translation>§2.1: xˡ = f(uˡ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s squashing function f(a) = A tanh(S a), A = 1.7159, S = ⅔</source>
        <translation>LeNet-5 的压缩函数 f(a) = A tanh(S a), A = 1.7159, S = ⅔</translation>
    </message>
    <message>
        <source>ReLU passes positive net input and blocks the rest</source>
        <translation>ReLU 让正的净输入通过，挡住其余的</translation>
    </message>
    <message>
        <source>Leaky ReLU lets a little of the negative side through</source>
        <translation>Leaky ReLU 让负的一侧漏过一点</translation>
    </message>
    <message>
        <source>a = f(u) = u if u &gt; 0, else α·u</source>
        <translation>a = f(u) = u（u &gt; 0 时），否则 α·u</translation>
    </message>
    <message>
        <source>The sigmoid squashes the net input into (0, 1)</source>
        <translation>sigmoid 把净输入压缩到 (0, 1)</translation>
    </message>
    <message>
        <source>tanh squashes the net input into (−1, 1)</source>
        <translation>tanh 把净输入压缩到 (−1, 1)</translation>
    </message>
    <message>
        <source>LeCun&apos;s scaled tanh squashes the net input into (−1.7159, 1.7159)</source>
        <translation>LeCun 的缩放 tanh 把净输入压缩到 (−1.7159, 1.7159)</translation>
    </message>
    <message>
        <source>f′(u) = 1 if u &gt; 0, else 0</source>
        <translation>f′(u) = 1（u &gt; 0 时），否则 0</translation>
    </message>
    <message>
        <source>f′(u) = 1 if u &gt; 0, else α</source>
        <translation>f′(u) = 1（u &gt; 0 时），否则 α</translation>
    </message>
    <message>
        <source>(u and a alike)</source>
        <translation>（u 与 a 相同）</translation>
    </message>
    <message>
        <source>The activation {kind}</source>
        <translation>激活函数 {kind}</translation>
    </message>
    <message>
        <source>f′(u{pos}), used on the way back</source>
        <translation>f′(u{pos})，反向传播时使用</translation>
    </message>
    <message>
        <source>activation a</source>
        <translation>激活值 a</translation>
    </message>
    <message>
        <source>The backward pass will multiply δ by {rule}.</source>
        <translation>反向传播时将把 δ 乘以 {rule}。</translation>
    </message>
    <message>
        <source>Back through an activation</source>
        <translation>反向经过激活函数</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s δᴸ = f′(uᴸ) ∘ (y − t): the loss phase gave (y − t)/N, this phase multiplies by f′(uᴸ).</source>
        <translation>Bouvrie 的 δᴸ = f′(uᴸ) ∘ (y − t)：损失阶段给出 (y − t)/N，本阶段乘以 f′(uᴸ)。</translation>
    </message>
    <message>
        <source>{name} (from above)</source>
        <translation>{name}（来自上一层）</translation>
    </message>
    <message>
        <source>“卷积层输出值的计算” (computing a conv layer&apos;s output), formula 4.4 (depth D, stride S, zero padding P)</source>
        <translation>“卷积层输出值的计算”，式 4.4（深度 D，步幅 S，补零 P）</translation>
    </message>
    <message>
        <source>the 4×4 image ∗ vertical Sobel example</source>
        <translation>4×4 图像 ∗ 竖直 Sobel 卷积核的例子</translation>
    </message>
    <message>
        <source>“卷积层误差项的传递” (the error through a conv layer): stride S, zeros inserted into δ; depth D; N filters, formula 5.3</source>
        <translation>“卷积层误差项的传递”：步幅 S，在 δ 中插入零；深度 D；N 个 filter，式 5.3</translation>
    </message>
    <message>
        <source>§3.1.1: the input gradient is a full convolution</source>
        <translation>§3.1.1: 输入的梯度是一次全卷积</translation>
    </message>
    <message>
        <source>“卷积层filter权重梯度的计算” (a filter&apos;s weight gradient): the input correlated with δ</source>
        <translation>“卷积层filter权重梯度的计算”：输入与 δ 做互相关</translation>
    </message>
    <message>
        <source>§3.1.1: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ</source>
        <translation>§3.1.1: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ</translation>
    </message>
    <message>
        <source>∂L/∂filter(x, y)</source>
        <translation>∂L/∂filter(x, y)</translation>
    </message>
    <message>
        <source>formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)</source>
        <translation>式 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)</translation>
    </message>
    <message>
        <source>§3.2.1: the full convolution with rot180(k)</source>
        <translation>§3.2.1: 与 rot180(k) 的全卷积</translation>
    </message>
    <message>
        <source> Connection table: output map {o} reads input maps {maps} only.</source>
        <translation> 连接表：输出特征图 {o} 只读取输入特征图 {maps}。</translation>
    </message>
    <message>
        <source>Convolution: the kernel times a patch of the input, summed</source>
        <translation>卷积：卷积核与输入的一块逐项相乘再求和</translation>
    </message>
    <message>
        <source>(sum over c, p, q; S = {S}, P = {P})</source>
        <translation>（对 c, p, q 求和；S = {S}，P = {P}）</translation>
    </message>
    <message>
        <source>Victor Zhou&apos;s 4×4 image x and the vertical Sobel kernel W through the engine&apos;s Conv2D (b = 0): each u is the sum of 9 products, e.g. u[0, 0] = {u00}.</source>
        <translation>Victor Zhou 的 4×4 图像 x 与竖直 Sobel 卷积核 W 经过引擎的 Conv2D（b = 0）：每个 u 都是 9 个乘积之和，例如 u[0, 0] = {u00}。</translation>
    </message>
    <message>
        <source>net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>The same net input u through ReLU (top) and tanh (bottom), with the slope f′(u) that the backward pass will multiply by.</source>
        <translation>同一个净输入 u 分别经过 ReLU（上）和 tanh（下），右边是反向传播时要乘上的斜率 f′(u)。</translation>
    </message>
    <message>
        <source>∂E/∂a comes down from the layer above; the ReLU lets it through where u &gt; 0 and stops it where u ≤ 0: δ = ∂E/∂a ∘ f′(u), entry by entry.</source>
        <translation>∂E/∂a 从上一层传下来；ReLU 在 u &gt; 0 处让它通过，在 u ≤ 0 处把它挡住：δ = ∂E/∂a ∘ f′(u)，逐元素相乘。</translation>
    </message>
    <message>
        <source>∂E/∂a from above</source>
        <translation>来自上层的 ∂E/∂a</translation>
    </message>
    <message>
        <source>The input x (Zhou&apos;s image ÷ 100) correlated with δ of the 2×2 output gives the 3×3 ∂E/∂W: ∂E/∂W[0, 0] = Σ δ[i, j]·x[i, j] = {dw00}. ∂E/∂b is the sum of δ, {db}.</source>
        <translation>输入 x（Zhou 的图像 ÷ 100）与 2×2 输出的 δ 做互相关，得到 3×3 的 ∂E/∂W：∂E/∂W[0, 0] = Σ δ[i, j]·x[i, j] = {dw00}。∂E/∂b 是 δ 之和，{db}。</translation>
    </message>
    <message>
        <source>δ of the output</source>
        <translation>输出的 δ</translation>
    </message>
    <message>
        <source>Forward, each 2×2 window keeps its largest input and remembers where it was (the argmax mask, ringed). Backward, each δ goes back to that one input; the other three get 0.</source>
        <translation>前向时，每个 2×2 窗口保留最大的输入，并记下它的位置（argmax 掩码，圈出的格子）。反向时，每个 δ 只传回那一个输入；其余三个得到 0。</translation>
    </message>
    <message>
        <source>pooled y = max</source>
        <translation>池化结果 y = max</translation>
    </message>
    <message>
        <source>argmax mask</source>
        <translation>argmax 掩码</translation>
    </message>
    <message>
        <source>δ of the pooled map</source>
        <translation>池化后特征图的 δ</translation>
    </message>
    <message>
        <source>δ routed back: ∂E/∂x</source>
        <translation>传回的 δ：∂E/∂x</translation>
    </message>
    <message>
        <source>Each δ of the 2×2 map is copied onto the 2×2 block it came from (the Kronecker product with a block of ones). Bouvrie&apos;s subsampling scales it by β (here 0.5); mean pooling divides it by n² = 4.</source>
        <translation>2×2 特征图的每个 δ 被复制到它所来自的 2×2 块上（与全 1 块的克罗内克积）。Bouvrie 的下采样再乘以 β（这里是 0.5）；平均池化则除以 n² = 4。</translation>
    </message>
    <message>
        <source>mean pool: up(δ)/4</source>
        <translation>平均池化：up(δ)/4</translation>
    </message>
    <message>
        <source>δ (2×2) padded with k − 1 = 2 rings of zeros, then slid under rot180(W): each 3×3 window gives one entry of the 4×4 ∂E/∂x, the same map as the engine&apos;s Conv2D backward.</source>
        <translation>δ（2×2）外面补上 k − 1 = 2 圈零，再让 rot180(W) 在上面滑动：每个 3×3 窗口给出 4×4 的 ∂E/∂x 的一个元素，与引擎 Conv2D 反向得到的图完全相同。</translation>
    </message>
    <message>
        <source>δ padded for &apos;full&apos;</source>
        <translation>为 &apos;full&apos; 补零后的 δ</translation>
    </message>
    <message>
        <source>P = 1 adds a ring of zeros (outlined); S = 2 moves the 3×3 window two cells at a time: (5 − 3 + 2·1)/2 + 1 = {side} outputs a side. Backward, δ gets S − 1 = 1 zero between its entries (δ ↑2) before the full convolution.</source>
        <translation>P = 1 在外面补一圈零（描边的格子）；S = 2 让 3×3 窗口每次移动两格：每边 (5 − 3 + 2·1)/2 + 1 = {side} 个输出。反向时，先在 δ 的元素之间插入 S − 1 = 1 个零（δ ↑2），再做全卷积。</translation>
    </message>
    <message>
        <source>input x padded (P = 1)</source>
        <translation>补零后的输入 x（P = 1）</translation>
    </message>
    <message>
        <source>δ of u</source>
        <translation>u 的 δ</translation>
    </message>
    <message>
        <source>δ ↑2 (zeros inserted)</source>
        <translation>δ ↑2（插入了零）</translation>
    </message>
    <message>
        <source>Ten scores, the true class {t}: p = softmax(u), E = −ln p[{t}] = −ln {p} = {e}. δ is p − y: negative only at the true class.</source>
        <translation>十个得分，真实类别为 {t}：p = softmax(u)，E = −ln p[{t}] = −ln {p} = {e}。δ 就是 p − y：只有在真实类别处为负。</translation>
    </message>
    <message>
        <source>scores u</source>
        <translation>得分 u</translation>
    </message>
    <message>
        <source>target y</source>
        <translation>目标 y</translation>
    </message>
    <message>
        <source>The second of two steps, η = {lr}, μ = {mu}: the velocity keeps {mu} of the first step&apos;s velocity and adds this gradient, so W moves further where the two gradients agree and less where they disagree.</source>
        <translation>两步中的第二步，η = {lr}，μ = {mu}：速度保留第一步速度的 {mu}，再加上这一步的梯度，所以在两次梯度方向一致的地方 W 走得更远，不一致的地方走得更少。</translation>
    </message>
    <message>
        <source>v from step 1</source>
        <translation>第 1 步的 v</translation>
    </message>
    <message>
        <source>∂E/∂W (step 2)</source>
        <translation>∂E/∂W（第 2 步）</translation>
    </message>
    <message>
        <source>Top: the diverging scale, −1 … 0 … 1 (white is exactly 0), and viridis, 0 … 1. Bottom: δ and f(u) of the pages before, each scaled to its own largest magnitude.</source>
        <translation>上：发散色标 −1 … 0 … 1（白色恰好是 0），以及 viridis 色标 0 … 1。下：前几页的 δ 和 f(u)，各自按自己的最大绝对值缩放。</translation>
    </message>
    <message>
        <source>signed: −1 … 1</source>
        <translation>有正负：−1 … 1</translation>
    </message>
    <message>
        <source>activation: 0 … 1</source>
        <translation>激活值：0 … 1</translation>
    </message>
    <message>
        <source>δ (signed)</source>
        <translation>δ（有正负）</translation>
    </message>
    <message>
        <source>{n} products: {maps} input map(s) × {kh}×{kw} kernel.</source>
        <translation>{n} 个乘积：{maps} 个输入特征图 × {kh}×{kw} 卷积核。</translation>
    </message>
    <message>
        <source> With stride {S}, δ gets {zeros} zero(s) between its entries first: {skipped} kernel taps land on inserted zeros.</source>
        <translation> 步幅为 {S} 时，先在 δ 的各项之间插入 {zeros} 个零：有 {skipped} 个卷积核位置落在插入的零上。</translation>
    </message>
    <message>
        <source>Back through a convolution: a full convolution of δ with the rotated kernel</source>
        <translation>反向经过卷积层：δ 与旋转180度的卷积核做全卷积</translation>
    </message>
    <message>
        <source>∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   (each input entry collects δ·W from every window that covered it)</source>
        <translation>∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   （每个输入项收集覆盖过它的每个窗口的 δ·W）</translation>
    </message>
    <message>
        <source>δ below a convolution: full convolution with rot180(W), times f′(u)</source>
        <translation>卷积层下一层的 δ：与 rot180(W) 的全卷积，乘以 f′(u)</translation>
    </message>
    <message>
        <source>δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   (a &apos;full&apos; convolution; δ ↑S for stride S)</source>
        <translation>δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   （全卷积；步幅为 S 时 δ ↑S）</translation>
    </message>
    <message>
        <source>The conv backward phase above gave the full convolution; this phase multiplies by f′(u).</source>
        <translation>上面卷积层的反向阶段给出了全卷积；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>the other {k} products of sample {s}</source>
        <translation>样本 {s} 的其余 {k} 个乘积</translation>
    </message>
    <message>
        <source>the other {k} samples</source>
        <translation>其余 {k} 个样本</translation>
    </message>
    <message>
        <source>The filter gradient: the input correlated with δ</source>
        <translation>卷积核的梯度：输入与 δ 做互相关</translation>
    </message>
    <message>
        <source>Σ of {k} products δ·a = {v}</source>
        <translation>{k} 个乘积 δ·a 之和 = {v}</translation>
    </message>
    <message>
        <source>∂E/∂W of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂W（{shape}）</translation>
    </message>
    <message>
        <source>This is ∂E/∂a of the layer below; its activation&apos;s backward phase ({layer}) multiplies by f′(u) to make δ.</source>
        <translation>这是下一层的 ∂E/∂a；它的激活函数的反向阶段（{layer}）乘以 f′(u) 得到 δ。</translation>
    </message>
    <message>
        <source>§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ</source>
        <translation>§2.1 前向传播: uˡ = Wˡ xˡ⁻¹ + bˡ</translation>
    </message>
    <message>
        <source>forward propagation a = W·X</source>
        <translation>前向传播 a = W·X</translation>
    </message>
    <message>
        <source>fully connected layers: the maps are unrolled into one n-vector</source>
        <translation>全连接层：特征图被展开成一个 n 维向量</translation>
    </message>
    <message>
        <source>§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)</source>
        <translation>§2.2 反向传播: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)</translation>
    </message>
    <message>
        <source>§2.2: the hidden-layer sensitivity</source>
        <translation>§2.2: 隐藏层的误差项</translation>
    </message>
    <message>
        <source>the hidden-layer sensitivity (Σ W·δ) × f′</source>
        <translation>隐藏层的误差项 (Σ W·δ) × f′</translation>
    </message>
    <message>
        <source>§2.2: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ, the outer product of input and δ</source>
        <translation>§2.2: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ，输入与 δ 的外积</translation>
    </message>
    <message>
        <source>§2.1: ∂E/∂w₅ = δₒ₁ · out_h₁</source>
        <translation>§2.1: ∂E/∂w₅ = δₒ₁ · out_h₁</translation>
    </message>
    <message>
        <source>A dense layer: weighted sum of all its inputs, plus a bias</source>
        <translation>全连接层：所有输入的加权和，加上偏置</translation>
    </message>
    <message>
        <source>Back through a dense layer: the weighted sum of the δ above</source>
        <translation>反向经过全连接层：上一层 δ 的加权和</translation>
    </message>
    <message>
        <source>Wᵀδ is what flows down; the layer&apos;s own gradient is ∂E/∂W = δ xᵀ.</source>
        <translation>向下传递的是 Wᵀδ；本层自己的梯度是 ∂E/∂W = δ xᵀ。</translation>
    </message>
    <message>
        <source>The sensitivity of a hidden layer: Wᵀδ from above, times f′(u)</source>
        <translation>隐藏层的误差项：来自上一层的 Wᵀδ，乘以 f′(u)</translation>
    </message>
    <message>
        <source>The dense backward phase above gave (Wᵀδ); this phase multiplies by f′(u).</source>
        <translation>上面全连接层的反向阶段给出了 (Wᵀδ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>The weight gradient of a dense layer: δ times the input</source>
        <translation>全连接层的权重梯度：δ 乘以输入</translation>
    </message>
    <message>
        <source>Flatten: the maps are unrolled into one vector</source>
        <translation>展平：特征图被展开成一个向量</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>(flattened to entry {k})</source>
        <translation>（展平为第 {k} 项）</translation>
    </message>
    <message>
        <source>Flatten backward: the vector δ is folded back into maps</source>
        <translation>展平的反向：把向量 δ 折回成特征图</translation>
    </message>
    <message>
        <source>the other product</source>
        <translation>其余 1 个乘积</translation>
    </message>
    <message>
        <source>the other {k} products</source>
        <translation>其余 {k} 个乘积</translation>
    </message>
    <message>
        <source> (all 0)</source>
        <translation>（全为 0）</translation>
    </message>
    <message>
        <source>0 (no products)</source>
        <translation>0（没有乘积）</translation>
    </message>
    <message>
        <source>{n} products</source>
        <translation>{n} 个乘积</translation>
    </message>
    <message>
        <source>, {nonzero} not 0</source>
        <translation>，{nonzero} 个不为 0</translation>
    </message>
    <message>
        <source>nothing has been run yet: there is no trace to explain</source>
        <translation>还没有运行任何步骤：没有可解释的记录</translation>
    </message>
    <message>
        <source>layer {layer}: {what} has not been computed in this step</source>
        <translation>层 {layer}：本步骤尚未计算 {what}</translation>
    </message>
    <message>
        <source>{what} of {layer} ({shape}), sample {sample}</source>
        <translation>{layer} 的{what}（{shape}），样本 {sample}</translation>
    </message>
    <message>
        <source>(sample {s}: {part}) + (the other {k} samples: {rest})</source>
        <translation>（样本 {s}：{part}）+（其余 {k} 个样本：{rest}）</translation>
    </message>
    <message>
        <source>{what} (sample {s})</source>
        <translation>{what}（样本 {s}）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>forward {layer}</source>
        <translation>前向 {layer}</translation>
    </message>
    <message>
        <source>backward {layer}</source>
        <translation>反向 {layer}</translation>
    </message>
    <message>
        <source>update {rule}</source>
        <translation>更新 {rule}</translation>
    </message>
    <message>
        <source>Summed over the batch of {n} samples (E is their mean, so δ already carries 1/N).</source>
        <translation>对一批 {n} 个样本求和（E 是它们的平均，所以 δ 已含 1/N）。</translation>
    </message>
    <message>
        <source>softmax + cross-entropy, δ = p − t (a standard result)</source>
        <translation>softmax + 交叉熵，δ = p − t（标准结果）</translation>
    </message>
    <message>
        <source>the loss L = −ln p(c) and its gradient</source>
        <translation>损失 L = −ln p(c) 及其梯度</translation>
    </message>
    <message>
        <source>the output error δₖ = Y − T</source>
        <translation>输出误差 δₖ = Y − T</translation>
    </message>
    <message>
        <source>§2.1: Eⁿ = ½ Σₖ (tₖⁿ − yₖⁿ)²; §2.2: the output sensitivity δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)</source>
        <translation>§2.1: Eⁿ = ½ Σₖ (tₖⁿ − yₖⁿ)²；§2.2: 输出层的误差项 δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s squared-error criterion</source>
        <translation>LeNet-5 的平方误差准则</translation>
    </message>
    <message>
        <source>Cross-entropy: minus the log-probability of the true class, batch mean</source>
        <translation>交叉熵：真实类别的对数概率取负，对批取平均</translation>
    </message>
    <message>
        <source>this sample: {part};  mean over the batch of {n}: {mean}</source>
        <translation>本样本：{part}；  对一批 {n} 个样本取平均：{mean}</translation>
    </message>
    <message>
        <source>the loss of the batch of {n}</source>
        <translation>这一批 {n} 个样本的损失</translation>
    </message>
    <message>
        <source>Softmax + cross-entropy: the output sensitivity is δ = p − t</source>
        <translation>Softmax + 交叉熵：输出层的误差项是 δ = p − t</translation>
    </message>
    <message>
        <source>t[{k}] (true class {label})</source>
        <translation>t[{k}]（真实类别 {label}）</translation>
    </message>
    <message>
        <source>N (batch size)</source>
        <translation>N（批大小）</translation>
    </message>
    <message>
        <source>δ of the output {layer} ({k}), sample {s}</source>
        <translation>输出层 {layer} 的 δ（{k}），样本 {s}</translation>
    </message>
    <message>
        <source>E is the mean over the batch, so δ is divided by N = {n}. The softmax and the log cancel: no f′ appears. The last layer&apos;s backward phase receives this δ.</source>
        <translation>E 是对批的平均，所以 δ 除以 N = {n}。softmax 与对数相消：不出现 f′。最后一层的反向阶段接收这个 δ。</translation>
    </message>
    <message>
        <source>The output sensitivity from softmax + cross-entropy</source>
        <translation>softmax + 交叉熵给出的输出层误差项</translation>
    </message>
    <message>
        <source>Squared error: half the squared distance to the targets, batch mean</source>
        <translation>平方误差：与目标距离平方的一半，对批取平均</translation>
    </message>
    <message>
        <source>Squared error: the output error is y − t</source>
        <translation>平方误差：输出误差是 y − t</translation>
    </message>
    <message>
        <source>∂E/∂y of the output {layer} ({k}), sample {s}</source>
        <translation>输出层 {layer} 的 ∂E/∂y（{k}），样本 {s}</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s δᴸ = f′(uᴸ) ∘ (y − t) is split over two phases here: the loss gives (y − t)/N (the mean over the batch), the backward phase of the last activation multiplies by f′(uᴸ).</source>
        <translation>Bouvrie 的 δᴸ = f′(uᴸ) ∘ (y − t) 在这里分成两个阶段：损失给出 (y − t)/N（对批的平均），最后一个激活函数的反向阶段乘以 f′(uᴸ)。</translation>
    </message>
    <message>
        <source>The output sensitivity: δᴸ = (y − t) ∘ f′(uᴸ)</source>
        <translation>输出层的误差项：δᴸ = (y − t) ∘ f′(uᴸ)</translation>
    </message>
    <message>
        <source>δᴸ = (y − t) ∘ f′(uᴸ) / N   (mean over the batch of N)</source>
        <translation>δᴸ = (y − t) ∘ f′(uᴸ) / N   （对一批 N 个样本取平均）</translation>
    </message>
    <message>
        <source>“Pooling层输出值的计算” (a pooling layer&apos;s output): max and mean pooling</source>
        <translation>“Pooling层输出值的计算”：最大池化与平均池化</translation>
    </message>
    <message>
        <source>pooling layers</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>§4.2: Lp pooling ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)</source>
        <translation>§4.2: Lp 池化 ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)</translation>
    </message>
    <message>
        <source>§3.2 Sub-sampling layers: xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)</source>
        <translation>§3.2 下采样层: xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)</translation>
    </message>
    <message>
        <source>LeNet-5&apos;s trainable subsampling S2, S4</source>
        <translation>LeNet-5 可训练的下采样层 S2、S4</translation>
    </message>
    <message>
        <source>Sources: {works}</source>
        <translation>出处：{works}</translation>
    </message>
    <message>
        <source>Net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>Activation f(u)</source>
        <translation>激活值 f(u)</translation>
    </message>
    <message>
        <source>Sensitivity δ</source>
        <translation>误差项 δ</translation>
    </message>
    <message>
        <source>∂E/∂W, ∂E/∂b, ∂E/∂β</source>
        <translation>∂E/∂W, ∂E/∂b, ∂E/∂β</translation>
    </message>
    <message>
        <source>Max pooling: argmax</source>
        <translation>最大池化：argmax</translation>
    </message>
    <message>
        <source>Up-sampling up(·)</source>
        <translation>上采样 up(·)</translation>
    </message>
    <message>
        <source>Full convolution</source>
        <translation>全卷积</translation>
    </message>
    <message>
        <source>Stride and padding</source>
        <translation>步幅与补零</translation>
    </message>
    <message>
        <source>Softmax + cross-entropy</source>
        <translation>Softmax + 交叉熵</translation>
    </message>
    <message>
        <source>Update with momentum</source>
        <translation>带动量的更新</translation>
    </message>
    <message>
        <source>Reading the colours</source>
        <translation>读懂颜色</translation>
    </message>
    <message>
        <source>The net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>Every layer with weights first computes a weighted sum of what it receives: its net input u. A dense layer multiplies the input vector by a weight matrix W and adds a bias b; a convolution layer slides a small kernel W over each input map and, at every position, multiplies the kernel with the patch under it and adds the products up (plus b).</source>
        <translation>每个带权重的层首先对它收到的输入做加权求和：这就是它的净输入 u。全连接层把输入向量乘以权重矩阵 W 再加上偏置 b；卷积层让一个小的卷积核 W 在每张输入特征图上滑动，在每个位置把卷积核与其下方的那一块逐项相乘，再把乘积加起来（加上 b）。</translation>
    </message>
    <message>
        <source>The same kernel is used at every position (weight sharing), so a 3×3 kernel has 9 weights however large the map. Strictly, the engine (like PyTorch and Zhou&apos;s example) computes a cross-correlation: the kernel is not flipped in the forward pass.</source>
        <translation>每个位置用的都是同一个卷积核（权值共享），所以无论特征图多大，一个 3×3 卷积核都只有 9 个权重。严格地说，引擎（和 PyTorch、Zhou 的例子一样）计算的是互相关：前向传播时卷积核并不翻转。</translation>
    </message>
    <message>
        <source>u can be any real number: negative where the patch looks unlike the kernel, positive where it looks like it. That is why u is drawn with the signed, blue–white–red colours.</source>
        <translation>u 可以是任意实数：那一块与卷积核不像的地方为负，像的地方为正。所以 u 用有正负的蓝–白–红色标来画。</translation>
    </message>
    <message>
        <source>uˡ = Wˡ xˡ⁻¹ + bˡ   (dense)</source>
        <translation>uˡ = Wˡ xˡ⁻¹ + bˡ   （全连接）</translation>
    </message>
    <message>
        <source>u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   (convolution: the sum runs over c, p, q)</source>
        <translation>u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   （卷积：对 c, p, q 求和）</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>网络总览</translation>
    </message>
    <message>
        <source>press “net input u” above the maps: every layer&apos;s u for the sample</source>
        <translation>按特征图上方的“净输入 u”：该样本在每一层的 u</translation>
    </message>
    <message>
        <source>Layer inspector</source>
        <translation>层检查器</translation>
    </message>
    <message>
        <source>“Maps of the sample”: net input u, one tile per map</source>
        <translation>“样本的特征图”：净输入 u，每张特征图一格</translation>
    </message>
    <message>
        <source>Backprop rule</source>
        <translation>反向传播规则</translation>
    </message>
    <message>
        <source>a forward phase of a conv or dense layer: the products of the entry under the cursor, added up</source>
        <translation>卷积层或全连接层的一个前向阶段：光标下那个元素的各项乘积及其和</translation>
    </message>
    <message>
        <source>Convolution explainer</source>
        <translation>卷积演示</translation>
    </message>
    <message>
        <source>the kernel sliding over the input, one product at a time</source>
        <translation>卷积核在输入上滑动，一次一个乘积</translation>
    </message>
    <message>
        <source>§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ; §3.1 Convolution layers</source>
        <translation>§2.1 前向传播：uˡ = Wˡ xˡ⁻¹ + bˡ；§3.1 卷积层</translation>
    </message>
    <message>
        <source>“卷积层输出值的计算” (a conv layer&apos;s output), formulas 4.1 and 4.4</source>
        <translation>“卷积层输出值的计算”，式 4.1 与 4.4</translation>
    </message>
    <message>
        <source>The activation f(u)</source>
        <translation>激活值 f(u)</translation>
    </message>
    <message>
        <source>The net input then goes through a fixed non-linear function f, one entry at a time: the activation a = f(u) is what the next layer receives. Without f, a stack of layers would be one big linear map.</source>
        <translation>净输入接着逐元素经过一个固定的非线性函数 f：激活值 a = f(u) 就是下一层收到的东西。没有 f，一叠层只不过是一个大的线性映射。</translation>
    </message>
    <message>
        <source>ReLU keeps positive inputs and sets the others to 0 (Han 2017 recommends it: its slope is 1 where it is on, so gradients do not shrink layer after layer). LeNet-5 used the scaled tanh 1.7159·tanh(⅔·u), which squashes every u into (−1.7, 1.7).</source>
        <translation>ReLU 保留正的输入，其余置为 0（Han 2017 推荐它：导通处斜率为 1，梯度不会一层层缩小）。LeNet-5 用的是缩放的 tanh 1.7159·tanh(⅔·u)，把每个 u 压到 (−1.7, 1.7) 之内。</translation>
    </message>
    <message>
        <source>The slope f′(u) matters as much as f: the backward pass multiplies by it. Where ReLU is off (u ≤ 0), f′ = 0 and nothing flows back; where tanh saturates, f′ is nearly 0.</source>
        <translation>斜率 f′(u) 和 f 同样重要：反向传播要乘上它。ReLU 关断处（u ≤ 0）f′ = 0，什么也传不回去；tanh 饱和处 f′ 几乎为 0。</translation>
    </message>
    <message>
        <source>ReLU: f(u) = max(u, 0),   f′(u) = 1 if u &gt; 0 else 0</source>
        <translation>ReLU: f(u) = max(u, 0),   f′(u) = 1（u &gt; 0 时），否则为 0</translation>
    </message>
    <message>
        <source>LeNet-5: f(u) = 1.7159 · tanh(⅔ · u)</source>
        <translation>LeNet-5: f(u) = 1.7159 · tanh(⅔ · u)</translation>
    </message>
    <message>
        <source>“activation f(u)” (viridis: dark purple low, yellow high)</source>
        <translation>“激活值 f(u)”（viridis：深紫为低，黄色为高）</translation>
    </message>
    <message>
        <source>“Maps of the sample”: activation f(u) beside u; the “dead ReLUs” statistic counts units that are 0 for the whole batch</source>
        <translation>“样本的特征图”：激活值 f(u) 在 u 旁边；统计中的“死亡 ReLU”数出对整批都为 0 的单元</translation>
    </message>
    <message>
        <source>an activation&apos;s backward phase: δ = ∂E/∂a ∘ f′(u)</source>
        <translation>激活函数的反向阶段：δ = ∂E/∂a ∘ f′(u)</translation>
    </message>
    <message>
        <source>“Relu”: f(x) = max(0, x)</source>
        <translation>“Relu”：f(x) = max(0, x)</translation>
    </message>
    <message>
        <source>Appendix A: the squashing function 1.7159·tanh(⅔·a)</source>
        <translation>附录 A：挤压函数 1.7159·tanh(⅔·a)</translation>
    </message>
    <message>
        <source>The sensitivity δ = ∂E/∂u</source>
        <translation>误差项 δ = ∂E/∂u</translation>
    </message>
    <message>
        <source>Training needs to know, for every net input u, how much the error E would change if u changed a little: the sensitivity δ = ∂E/∂u (Bouvrie calls it the sensitivity of a unit to a change of its bias). Backpropagation computes all of them, from the loss back to the first layer.</source>
        <translation>训练需要知道：每个净输入 u 稍微变一点，误差 E 会变多少——这就是误差项 δ = ∂E/∂u（Bouvrie 称之为单元对其偏置变化的灵敏度）。反向传播从损失一直往回算到第一层，把它们全部算出来。</translation>
    </message>
    <message>
        <source>The rule is the chain rule, one layer at a time. What comes down from the layer above is ∂E/∂a, the gradient with respect to this layer&apos;s activation; the activation multiplies it, entry by entry, by its slope f′(u). A dense layer sends δ down through the transposed weights, a convolution through a full convolution with rot180(W), a pooling layer through up(·).</source>
        <translation>规则就是链式法则，一次一层。从上一层传下来的是 ∂E/∂a，即对本层激活值的梯度；激活函数把它逐元素乘上斜率 f′(u)。全连接层经由转置的权重把 δ 传下去，卷积层经由与 rot180(W) 的全卷积，池化层经由 up(·)。</translation>
    </message>
    <message>
        <source>A large |δ| means that entry matters for the error right now; δ = 0 means E does not depend on it (a ReLU that is off, a max-pool loser).</source>
        <translation>|δ| 大，说明该元素此刻对误差很重要；δ = 0 说明 E 与它无关（关断的 ReLU、最大池化中落选的输入）。</translation>
    </message>
    <message>
        <source>δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)   (below a dense layer)</source>
        <translation>δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)   （全连接层之下）</translation>
    </message>
    <message>
        <source>δ = ∂E/∂a ∘ f′(u)   (through an activation)</source>
        <translation>δ = ∂E/∂a ∘ f′(u)   （经过激活函数）</translation>
    </message>
    <message>
        <source>press “δ = ∂E/∂u” (or 3): the sensitivities of every layer, blue negative, red positive, white exactly 0</source>
        <translation>按“误差项 δ = ∂E/∂u”（或 3）：每一层的误差项，蓝为负，红为正，白恰好为 0</translation>
    </message>
    <message>
        <source>“sensitivity δ = ∂E/∂u” and its histogram; ‖δ‖ in the statistics</source>
        <translation>“误差项 δ = ∂E/∂u”及其直方图；统计中的 ‖δ‖</translation>
    </message>
    <message>
        <source>each backward phase, with the numbers of the entry under the cursor and ✓ when they agree with the engine</source>
        <translation>每个反向阶段，光标下元素的数值，与引擎一致时显示 ✓</translation>
    </message>
    <message>
        <source>The gradients ∂E/∂W, ∂E/∂b and ∂E/∂β</source>
        <translation>梯度 ∂E/∂W、∂E/∂b 与 ∂E/∂β</translation>
    </message>
    <message>
        <source>Once δ of a layer is known, the gradient of each of its parameters follows at once. A weight multiplies an input on its way to a net input, so ∂E/∂W is that input times δ: for a dense layer the outer product δ·xᵀ, for a convolution the input correlated with the map δ (every position the weight was used at adds its share, because the kernel is shared).</source>
        <translation>一旦知道了某层的 δ，它每个参数的梯度就立刻可得。权重在通往净输入的路上乘了一个输入，所以 ∂E/∂W 就是那个输入乘以 δ：全连接层是外积 δ·xᵀ，卷积层是输入与特征图 δ 的互相关（因为卷积核是共享的，用到该权重的每个位置都贡献一份）。</translation>
    </message>
    <message>
        <source>A bias is added to every entry of its map, so ∂E/∂b is the sum of δ over the map. Bouvrie&apos;s subsampling multiplies each down-sampled map by a trainable β, so ∂E/∂β sums δ times that down-sampled map.</source>
        <translation>偏置加在其特征图的每个元素上，所以 ∂E/∂b 是 δ 在整张特征图上的和。Bouvrie 的下采样把每张降采样后的特征图乘以可训练的 β，所以 ∂E/∂β 是 δ 乘以那张降采样特征图后的和。</translation>
    </message>
    <message>
        <source>Every gradient is summed over the batch as well: the engine&apos;s loss is the mean over the samples, so each sample contributes a 1/N share.</source>
        <translation>每个梯度还要对整批求和：引擎的损失是各样本的平均，所以每个样本贡献 1/N 的份额。</translation>
    </message>
    <message>
        <source>∂E/∂Wˡ = δˡ (xˡ⁻¹)ᵀ   (dense, W stored out × in; Bouvrie writes xˡ⁻¹(δˡ)ᵀ)</source>
        <translation>∂E/∂Wˡ = δˡ (xˡ⁻¹)ᵀ   （全连接，W 按 输出 × 输入 存放；Bouvrie 写作 xˡ⁻¹(δˡ)ᵀ）</translation>
    </message>
    <message>
        <source>∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · xₙ[c, iS+p−P, jS+q−P]   (convolution)</source>
        <translation>∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · xₙ[c, iS+p−P, jS+q−P]   （卷积）</translation>
    </message>
    <message>
        <source>“Weights and their last update”: W, gradient ∂E/∂W and ΔW; “Biases”: b and ∂E/∂b (β and ∂E/∂β for subsampling)</source>
        <translation>“权重及其最近一次更新”：W、梯度 ∂E/∂W 与 ΔW；“偏置”：b 与 ∂E/∂b（下采样层还有 β 与 ∂E/∂β）</translation>
    </message>
    <message>
        <source>a conv or dense layer&apos;s backward phase: the filter gradient and the bias gradient, split into this sample and the others</source>
        <translation>卷积层或全连接层的反向阶段：卷积核梯度与偏置梯度，分成本样本与其余样本两部分</translation>
    </message>
    <message>
        <source>Gradient check</source>
        <translation>梯度检验</translation>
    </message>
    <message>
        <source>∂E/∂W compared with finite differences of E</source>
        <translation>∂E/∂W 与 E 的有限差分对比</translation>
    </message>
    <message>
        <source>§2.2: ∂E/∂Wˡ = xˡ⁻¹(δˡ)ᵀ; §3.1.1: ∂E/∂b and ∂E/∂kᵢⱼ; §3.2.1: ∂E/∂β</source>
        <translation>§2.2: ∂E/∂Wˡ = xˡ⁻¹(δˡ)ᵀ；§3.1.1: ∂E/∂b 与 ∂E/∂kᵢⱼ；§3.2.1: ∂E/∂β</translation>
    </message>
    <message>
        <source>“卷积层filter权重梯度的计算” (a filter&apos;s weight gradient)</source>
        <translation>“卷积层filter权重梯度的计算”</translation>
    </message>
    <message>
        <source>Max pooling and its argmax mask</source>
        <translation>最大池化及其 argmax 掩码</translation>
    </message>
    <message>
        <source>Max pooling keeps the largest entry of each k×k window. Only that entry reaches the output: moving any other entry a little changes nothing (as long as it stays smaller).</source>
        <translation>最大池化保留每个 k×k 窗口中最大的元素。只有它到达输出：其他元素稍微变动一下什么也不改变（只要它仍然更小）。</translation>
    </message>
    <message>
        <source>So the forward pass remembers which entry won each window: the argmax mask. The backward pass routes each δ of the pooled map to its window&apos;s winner, and gives every loser exactly 0. Nothing is averaged or spread.</source>
        <translation>所以前向传播记下每个窗口中胜出的元素：即 argmax 掩码。反向传播把池化后特征图的每个 δ 送给其窗口的胜者，每个落选者恰好得到 0。没有任何平均或分摊。</translation>
    </message>
    <message>
        <source>When windows overlap (stride smaller than k) an input can win several windows and receives the sum of their δ.</source>
        <translation>当窗口互相重叠（步幅小于 k）时，一个输入可能在几个窗口中胜出，得到它们的 δ 之和。</translation>
    </message>
    <message>
        <source>y[c, i, j] = max of x[c, iS+p, jS+q] over the k×k window</source>
        <translation>y[c, i, j] = k×k 窗口内 x[c, iS+p, jS+q] 的最大值</translation>
    </message>
    <message>
        <source>∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] won window (i, j), else 0</source>
        <translation>∂E/∂x[c, r, s] = δ[c, i, j]（若 x[c, r, s] 在窗口 (i, j) 中胜出），否则为 0</translation>
    </message>
    <message>
        <source>select a max-pool layer: “Pooling: how δ goes back” shows the pool input x with its winners ringed, δ of the pooled maps and δ routed back</source>
        <translation>选中一个最大池化层：“池化层：δ 如何传回”显示池化的输入 x（胜者被圈出）、池化后特征图的 δ 以及传回的 δ</translation>
    </message>
    <message>
        <source>“∂E/∂input” on the layer below a max-pool: sparse, one non-zero per window</source>
        <translation>最大池化下面一层的“∂E/∂x（输入）”：很稀疏，每个窗口只有一个非零值</translation>
    </message>
    <message>
        <source>“Max pooling routes δ to the argmax”, winner ×1, losers ×0</source>
        <translation>“最大池化把 δ 传给最大值所在位置”，胜者 ×1，落选者 ×0</translation>
    </message>
    <message>
        <source>“Max Pooling误差项的传递” (the error through max pooling)</source>
        <translation>“Max Pooling误差项的传递”</translation>
    </message>
    <message>
        <source>backpropagation through max pooling</source>
        <translation>经过最大池化的反向传播</translation>
    </message>
    <message>
        <source>§4.2 max pooling</source>
        <translation>§4.2 最大池化</translation>
    </message>
    <message>
        <source>Up-sampling: Bouvrie&apos;s up(·), a Kronecker product</source>
        <translation>上采样：Bouvrie 的 up(·)，一个克罗内克积</translation>
    </message>
    <message>
        <source>A pooling or subsampling layer shrinks each map by a factor n. Going back, its δ must be brought to the size of the map below again: Bouvrie&apos;s up(·) copies each entry onto the n×n block it came from, which is the Kronecker product of δ with an n×n block of ones.</source>
        <translation>池化层或下采样层把每张特征图缩小 n 倍。往回传时，它的 δ 必须恢复成下面那张特征图的大小：Bouvrie 的 up(·) 把每个元素复制到它所来自的 n×n 块上，也就是 δ 与 n×n 全 1 块的克罗内克积。</translation>
    </message>
    <message>
        <source>For Bouvrie&apos;s (and LeNet-5&apos;s) trainable subsampling u = β·down(x) + b, the block is scaled by β; for mean pooling every input of a window has weight 1/n², so the block is divided by n². (Max pooling is the exception: up routes to the argmax.)</source>
        <translation>对 Bouvrie（以及 LeNet-5）的可训练下采样 u = β·down(x) + b，该块要乘以 β；对平均池化，窗口内每个输入的权重是 1/n²，所以该块要除以 n²。（最大池化是例外：up 把 δ 送往 argmax。）</translation>
    </message>
    <message>
        <source>Below a pooling layer the activation then multiplies by f′(u) as always: δˡ = β·up(δˡ⁺¹) ∘ f′(uˡ).</source>
        <translation>在池化层之下，激活函数照常再乘上 f′(u)：δˡ = β·up(δˡ⁺¹) ∘ f′(uˡ)。</translation>
    </message>
    <message>
        <source>δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹))   (a convolution followed by subsampling)</source>
        <translation>δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹))   （卷积层后接下采样层）</translation>
    </message>
    <message>
        <source>mean pooling: ∂E/∂x = δ ⊗ 1ₙₓₙ / n²</source>
        <translation>平均池化：∂E/∂x = δ ⊗ 1ₙₓₙ / n²</translation>
    </message>
    <message>
        <source>a subsampling or mean-pool layer: “δ routed back” is δ of the pooled maps in n×n blocks</source>
        <translation>下采样层或平均池化层：“传回的 δ”就是池化后特征图的 δ 铺成 n×n 的块</translation>
    </message>
    <message>
        <source>“Bouvrie&apos;s subsampling sends β·δ back to every input of the block”, “Mean pooling spreads δ/n²”</source>
        <translation>“Bouvrie 的下采样把 β·δ 传回块中的每个输入”，“平均池化把 δ/n² 分给窗口中的每一项”</translation>
    </message>
    <message>
        <source>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) ≡ x ⊗ 1ₙₓₙ</source>
        <translation>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹))，up(x) ≡ x ⊗ 1ₙₓₙ</translation>
    </message>
    <message>
        <source>“Mean Pooling误差项的传递”: the Kronecker product</source>
        <translation>“Mean Pooling误差项的传递”：克罗内克积</translation>
    </message>
    <message>
        <source>trainable subsampling S2, S4</source>
        <translation>可训练的下采样 S2、S4</translation>
    </message>
    <message>
        <source>∂E/∂input: a full convolution with rot180(W)</source>
        <translation>∂E/∂x（输入）：与 rot180(W) 的全卷积</translation>
    </message>
    <message>
        <source>An input entry of a convolution touched several outputs: every window that covered it. So its gradient collects δ of each of those outputs, times the kernel weight that linked them.</source>
        <translation>卷积的一个输入元素会影响好几个输出：每个覆盖它的窗口都算。所以它的梯度要收集这些输出各自的 δ，乘以连接它们的卷积核权重。</translation>
    </message>
    <message>
        <source>Written as one operation, that is a &apos;full&apos; convolution: pad δ with k − 1 rings of zeros (so windows hanging over the edge count too) and slide the kernel rotated by 180° over it. The rotation appears because the weight that took input (r, s) to output (i, j) sits at the opposite offset when seen from the input.</source>
        <translation>写成一个运算，就是一次 &apos;full&apos; 卷积：给 δ 补上 k − 1 圈零（这样伸出边缘的窗口也算在内），再让旋转180度的卷积核在上面滑动。之所以要旋转，是因为把输入 (r, s) 连到输出 (i, j) 的那个权重，从输入这一侧看，位于相反的偏移处。</translation>
    </message>
    <message>
        <source>With several output maps, each contributes its own full convolution and they are added; the activation below then multiplies by f′(u). (Han writes the same as a true convolution with W, which flips the kernel by itself; here ∗ slides a kernel without flipping it, as in the forward pass.)</source>
        <translation>有多张输出特征图时，每张各做一次全卷积，再相加；下面的激活函数再乘上 f′(u)。（Han 把同一件事写成与 W 的真正卷积，卷积本身就会翻转卷积核；这里的 ∗ 与前向传播一样，滑动卷积核时不翻转。）</translation>
    </message>
    <message>
        <source>“∂E/∂input” of a conv layer: what it sends to the layer below</source>
        <translation>卷积层的“∂E/∂x（输入）”：它传给下一层的东西</translation>
    </message>
    <message>
        <source>“∂E/∂input (sent back)”</source>
        <translation>“∂E/∂x（传回前一层）”</translation>
    </message>
    <message>
        <source>“Back through a convolution”: every δ·W pair that reaches the input under the cursor</source>
        <translation>“反向经过卷积层”：到达光标下那个输入的每一对 δ·W</translation>
    </message>
    <message>
        <source>the backward examples: δ padded, the rotated kernel sliding over it</source>
        <translation>反向的例子：补零后的 δ，旋转后的卷积核在上面滑动</translation>
    </message>
    <message>
        <source>§3.2.1: δ = conv2(δˡ⁺¹, rot180(kˡ⁺¹), &apos;full&apos;)</source>
        <translation>§3.2.1: δ = conv2(δˡ⁺¹, rot180(kˡ⁺¹), &apos;full&apos;)</translation>
    </message>
    <message>
        <source>formula 5.2: δˡ⁻¹ = δˡ ∗ Wˡ ∘ f′(netˡ⁻¹)</source>
        <translation>式 5.2: δˡ⁻¹ = δˡ ∗ Wˡ ∘ f′(netˡ⁻¹)</translation>
    </message>
    <message>
        <source>Zero padding P adds P rings of zeros around each input map before the kernel slides, so the output can keep the input&apos;s size and border pixels are used as often as the others. The stride S is how far the kernel moves between two outputs: S = 2 roughly halves each side.</source>
        <translation>补零 P 在卷积核滑动之前给每张输入特征图四周补上 P 圈零，这样输出可以保持输入的大小，边缘像素也和其他像素一样被用到那么多次。步幅 S 是卷积核在两个输出之间移动的距离：S = 2 大致让每边减半。</translation>
    </message>
    <message>
        <source>The output size is (W − F + 2P)/S + 1 for an input W wide and a kernel F wide. If that is not a whole number the last rows and columns are simply not reached.</source>
        <translation>输入宽 W、卷积核宽 F 时，输出大小为 (W − F + 2P)/S + 1。如果它不是整数，最后几行几列就根本不会被覆盖到。</translation>
    </message>
    <message>
        <source>Backward, a stride shows up as gaps: δ gets S − 1 zeros inserted between its entries (δ ↑S) to bring it back to what a stride of 1 would have made, then the full convolution with rot180(W) applies; padding is cut off again at the end.</source>
        <translation>反向时，步幅表现为空隙：在 δ 的元素之间插入 S − 1 个零（δ ↑S），还原成步幅为 1 时的样子，再做与 rot180(W) 的全卷积；最后把补的零再裁掉。</translation>
    </message>
    <message>
        <source>the strided and padded examples, forward and backward</source>
        <translation>带步幅和补零的例子，前向与反向</translation>
    </message>
    <message>
        <source>“Back through a convolution” with stride 2 says how many zeros were inserted into δ</source>
        <translation>步幅为 2 时，“反向经过卷积层”会说明在 δ 中插入了多少个零</translation>
    </message>
    <message>
        <source>the shapes in each layer&apos;s header</source>
        <translation>每层标题中的形状</translation>
    </message>
    <message>
        <source>formulas 2 and 3 (the output size) and “卷积层误差项的传递” (stride S: zeros inserted into δ)</source>
        <translation>式 2 与式 3（输出大小）以及“卷积层误差项的传递”</translation>
    </message>
    <message>
        <source>Softmax, cross-entropy, and why δ = p − y</source>
        <translation>Softmax、交叉熵，以及为什么 δ = p − y</translation>
    </message>
    <message>
        <source>The last layer gives one score per class. Softmax turns the scores into probabilities p (positive, adding up to 1); the cross-entropy E = −ln p[t] is small when the true class t gets a high probability. While the scores are still small, p ≈ 1/10 for each of 10 classes, so the first loss is about ln 10 ≈ 2.30.</source>
        <translation>最后一层为每个类别给出一个得分。Softmax 把得分变成概率 p（都为正，加起来为 1）；当真实类别 t 的概率高时，交叉熵 E = −ln p[t] 就小。得分还很小的时候，10 个类别各自 p ≈ 1/10，所以最初的损失约为 ln 10 ≈ 2.30。</translation>
    </message>
    <message>
        <source>Differentiating the two together gives the simplest rule of the whole network: the output sensitivity is p − y, with y the one-hot target. Raise the true class&apos;s score (δ &lt; 0 there), lower every other score in proportion to its probability.</source>
        <translation>把两者合在一起求导，得到整个网络中最简单的规则：输出层的误差项是 p − y，y 为 one-hot 目标。提高真实类别的得分（那里 δ &lt; 0），按概率比例降低其他每个得分。</translation>
    </message>
    <message>
        <source>The engine averages E over the N samples of a batch, so each sample&apos;s δ is (p − y)/N. This is a textbook result: LeNet-5 used a different output (RBF units with a squared error), and Bouvrie derives the squared error.</source>
        <translation>引擎对一批中的 N 个样本取 E 的平均，所以每个样本的 δ 是 (p − y)/N。这是教科书上的结论：LeNet-5 用的是另一种输出（RBF 单元加平方误差），Bouvrie 推导的也是平方误差。</translation>
    </message>
    <message>
        <source>E = −ln p[t]   (averaged over the batch)</source>
        <translation>E = −ln p[t]   （对整批取平均）</translation>
    </message>
    <message>
        <source>δ = ∂E/∂u = p − y   ((p − y)/N per sample of a batch of N)</source>
        <translation>δ = ∂E/∂u = p − y   （N 个样本的一批中，每个样本为 (p − y)/N）</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>the probabilities of the sample and the predicted class</source>
        <translation>该样本的各类概率与预测的类别</translation>
    </message>
    <message>
        <source>Progress ▸ Training</source>
        <translation>进度 ▸ 训练</translation>
    </message>
    <message>
        <source>the loss E per step; it starts near ln(classes)</source>
        <translation>每一步的损失 E；它从 ln(类别数) 附近开始</translation>
    </message>
    <message>
        <source>the loss phase: “the output sensitivity is δ = p − t”</source>
        <translation>损失阶段：“输出层的误差项是 δ = p − t”</translation>
    </message>
    <message>
        <source>the last layer in “δ = ∂E/∂u”: one blue entry (the true class)</source>
        <translation>“误差项 δ = ∂E/∂u”中的最后一层：只有一个蓝色元素（真实类别）</translation>
    </message>
    <message>
        <source>§6.2.2: softmax units and the cross-entropy, δ = p − y</source>
        <translation>§6.2.2: softmax 单元与交叉熵，δ = p − y</translation>
    </message>
    <message>
        <source>backpropagation through softmax + cross-entropy</source>
        <translation>经过 softmax + 交叉熵的反向传播</translation>
    </message>
    <message>
        <source>The update, with momentum</source>
        <translation>更新，带动量</translation>
    </message>
    <message>
        <source>After the backward pass every parameter takes a small step against its gradient: W ← W − η·∂E/∂W, with the learning rate η. That is plain gradient descent.</source>
        <translation>反向传播之后，每个参数沿其梯度的反方向走一小步：W ← W − η·∂E/∂W，η 是学习率。这就是朴素的梯度下降。</translation>
    </message>
    <message>
        <source>With momentum μ (e.g. 0.9) the step follows a velocity v instead, which keeps μ of the last step&apos;s velocity and adds the new gradient. Steps grow in directions the gradients agree on and cancel where they zig-zag. Weight decay λ adds λ·W to the gradient, pulling every weight a little towards 0.</source>
        <translation>加上动量 μ（例如 0.9）后，每一步改为沿速度 v 走，v 保留上一步速度的 μ 倍，再加上新的梯度。梯度方向一致时步子越走越大，来回震荡时相互抵消。权重衰减 λ 在梯度上加 λ·W，把每个权重都往 0 拉一点。</translation>
    </message>
    <message>
        <source>So what the engine applies is ΔW = −η·v, not −η·∂E/∂W. Without weight decay the two agree only on the very first step, when v starts at 0.</source>
        <translation>所以引擎施加的是 ΔW = −η·v，而不是 −η·∂E/∂W。没有权重衰减时，两者只在第一步（v 从 0 开始）相同。</translation>
    </message>
    <message>
        <source>“update ΔW = −η·v” beside W and ∂E/∂W; the button “before it: W − ΔW”; ‖ΔW‖/‖W‖ in the statistics</source>
        <translation>W 与 ∂E/∂W 旁边的“更新量 ΔW = −η·v”；按钮“更新前：W − ΔW”；统计中的 ‖ΔW‖/‖W‖</translation>
    </message>
    <message>
        <source>the update phase: the velocity and the step for one weight</source>
        <translation>更新阶段：一个权重的速度与这一步</translation>
    </message>
    <message>
        <source>the update badge after the backward pass</source>
        <translation>反向传播之后的更新标记</translation>
    </message>
    <message>
        <source>§8.3: SGD with momentum (and weight decay), as the engine applies it</source>
        <translation>§8.3: 带动量（和权重衰减）的 SGD，与引擎的做法相同</translation>
    </message>
    <message>
        <source>Reading the colour maps</source>
        <translation>读懂彩色图</translation>
    </message>
    <message>
        <source>Signed quantities — the net input u, the sensitivity δ, ∂E/∂input, the weights W, ∂E/∂W and the update ΔW — use a diverging scale: blue for negative, white for exactly zero, red for positive. The range is symmetric about 0, so white always means 0 and equally strong blue and red mean equal magnitudes.</source>
        <translation>有正负的量——净输入 u、误差项 δ、∂E/∂x（输入）、权重 W、∂E/∂W 和更新 ΔW——使用发散色标：蓝为负，白恰好为零，红为正。范围关于 0 对称，所以白色总是表示 0，同样深的蓝和红表示同样的大小。</translation>
    </message>
    <message>
        <source>Activations and inputs use viridis, from dark purple (the smallest, 0 for a ReLU) through green to yellow (the largest).</source>
        <translation>激活值和输入使用 viridis 色标，从深紫（最小，ReLU 为 0）经绿色到黄色（最大）。</translation>
    </message>
    <message>
        <source>The colours are relative: by default one range is shared by all maps of a layer (so its maps compare), and the colour bar gives the numbers. The toolbar&apos;s Colour box makes it per map or a fixed range instead. A pale map is small compared with the others of its layer, not necessarily small in absolute terms: hover over a cell to read its number.</source>
        <translation>颜色是相对的：默认一层的所有特征图共用一个范围（便于相互比较），色条给出数值。工具栏的“颜色”框可以改为每张特征图各用一个范围，或用固定范围。颜色淡的特征图只是比同层其他特征图小，绝对值不一定小：把鼠标停在格子上即可读出数值。</translation>
    </message>
    <message>
        <source>signed: colour = blue … white … red over [−m, m],  m = max |value|</source>
        <translation>有正负：颜色 = 蓝 … 白 … 红，覆盖 [−m, m]，m = max |值|</translation>
    </message>
    <message>
        <source>activations: colour = viridis over [0, max] (or [min, max])</source>
        <translation>激活值：颜色 = viridis，覆盖 [0, max]（或 [min, max]）</translation>
    </message>
    <message>
        <source>the four map kinds; u and δ diverge, f(u) is viridis</source>
        <translation>四种图：u 与 δ 用发散色标，f(u) 用 viridis</translation>
    </message>
    <message>
        <source>each grid&apos;s colour bar gives its range</source>
        <translation>每个网格的色条给出它的范围</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>the same scales over the steps</source>
        <translation>各步使用同样的色标</translation>
    </message>
    <message>
        <source>§2–3: the quantities coloured (u, δ, W, ∂E/∂W) and their signs</source>
        <translation>§2–3: 上色的各个量（u、δ、W、∂E/∂W）及其正负</translation>
    </message>
    <message>
        <source>§4.2</source>
        <translation>§4.2</translation>
    </message>
    <message>
        <source>“Mean Pooling误差项的传递” (the error through mean pooling): δˡ⁻¹ = δˡ ⊗ (1/n²)ₙₓₙ, the Kronecker product</source>
        <translation>“Mean Pooling误差项的传递”：δˡ⁻¹ = δˡ ⊗ (1/n²)ₙₓₙ，克罗内克积</translation>
    </message>
    <message>
        <source>§4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)</source>
        <translation>§4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)</translation>
    </message>
    <message>
        <source>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ</source>
        <translation>§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ</translation>
    </message>
    <message>
        <source>§3.2.1: ∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)</source>
        <translation>§3.2.1: ∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)</translation>
    </message>
    <message>
        <source>§3.1.1: a convolution followed by pooling, δˡ = up(δˡ⁺¹) ∘ f′(uˡ)</source>
        <translation>§3.1.1: 卷积层后接池化层，δˡ = up(δˡ⁺¹) ∘ f′(uˡ)</translation>
    </message>
    <message>
        <source>the error through max and mean pooling</source>
        <translation>误差项经过最大池化与平均池化的传递</translation>
    </message>
    <message>
        <source>A convolution followed by pooling: δ = up(δˡ⁺¹) ∘ f′(u)</source>
        <translation>卷积层后接池化层：δ = up(δˡ⁺¹) ∘ f′(u)</translation>
    </message>
    <message>
        <source>The pooling backward phase gave up(δ); this phase multiplies by f′(u).</source>
        <translation>池化层的反向阶段给出了 up(δ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>∂E/∂x = δ[c, i, j] at the argmax of window (i, j), else 0</source>
        <translation>∂E/∂x = δ[c, i, j]（在窗口 (i, j) 的 argmax 处），否则为 0</translation>
    </message>
    <message>
        <source>δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up routes each δ to its window&apos;s argmax)</source>
        <translation>δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   （up 把每个 δ 送往其窗口的 argmax）</translation>
    </message>
    <message>
        <source>Max pooling keeps the largest input of each window</source>
        <translation>最大池化保留每个窗口中最大的输入</translation>
    </message>
    <message>
        <source>y[c, i, j] = max of x[c, iS+p, jS+q] over the {k}×{k} window (S = {S})</source>
        <translation>y[c, i, j] = {k}×{k} 窗口内 x[c, iS+p, jS+q] 的最大值（S = {S}）</translation>
    </message>
    <message>
        <source>: {winner} wins</source>
        <translation>：{winner} 最大</translation>
    </message>
    <message>
        <source>The winner {winner} is remembered: backward routes δ{pos} to it.</source>
        <translation>记住最大者 {winner}：反向传播把 δ{pos} 传给它。</translation>
    </message>
    <message>
        <source>0: no window covers this entry</source>
        <translation>0：没有窗口覆盖这一项</translation>
    </message>
    <message>
        <source>Max pooling routes δ to the argmax</source>
        <translation>最大池化把 δ 传给最大值所在位置</translation>
    </message>
    <message>
        <source>∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] was the max of window (i, j), else 0</source>
        <translation>∂E/∂x[c, r, s] = δ[c, i, j]（若 x[c, r, s] 是窗口 (i, j) 的最大值），否则 0</translation>
    </message>
    <message>
        <source>Mean pooling averages each window</source>
        <translation>平均池化对每个窗口取平均</translation>
    </message>
    <message>
        <source>Mean pooling spreads δ/n² over the window</source>
        <translation>平均池化把 δ/n² 分给窗口中的每一项</translation>
    </message>
    <message>
        <source>∂E/∂x = δ ⊗ 1ₙₓₙ / n²   (the Kronecker product: every input of a window gets its share)</source>
        <translation>∂E/∂x = δ ⊗ 1ₙₓₙ / n²   （克罗内克积：窗口中每个输入分到一份）</translation>
    </message>
    <message>
        <source>δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up multiplies each δ by ∂‖x‖ₚ/∂xᵢ)</source>
        <translation>δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   （up 把每个 δ 乘以 ∂‖x‖ₚ/∂xᵢ）</translation>
    </message>
    <message>
        <source>L{p} pooling: the {p}-norm of each window</source>
        <translation>L{p} 池化：每个窗口的 {p}-范数</translation>
    </message>
    <message>
        <source>L{p} pooling: δ times the derivative of the norm</source>
        <translation>L{p} 池化：δ 乘以范数的导数</translation>
    </message>
    <message>
        <source>Subsampling (Bouvrie): a trainable β times the window sum, plus b</source>
        <translation>下采样（Bouvrie）：可训练的 β 乘以窗口之和，加上 b</translation>
    </message>
    <message>
        <source>u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = sum of each {k}×{k} block</source>
        <translation>u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = 每个 {k}×{k} 块之和</translation>
    </message>
    <message>
        <source>down(x) is kept from the forward pass: backward needs it for ∂E/∂β.</source>
        <translation>down(x) 在前向传播时保留：反向传播计算 ∂E/∂β 时要用。</translation>
    </message>
    <message>
        <source>no window</source>
        <translation>没有窗口</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s subsampling sends β·δ back to every input of the block</source>
        <translation>Bouvrie 的下采样把 β·δ 传回块中的每个输入</translation>
    </message>
    <message>
        <source>∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   (the Kronecker product)</source>
        <translation>∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   （克罗内克积）</translation>
    </message>
    <message>
        <source>A convolution followed by subsampling: δ = β·up(δˡ⁺¹) ∘ f′(u)</source>
        <translation>卷积层后接下采样层：δ = β·up(δˡ⁺¹) ∘ f′(u)</translation>
    </message>
    <message>
        <source>The subsampling backward phase gave β·up(δ); this phase multiplies by f′(u).</source>
        <translation>下采样层的反向阶段给出了 β·up(δ)；本阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>Bouvrie&apos;s ∂E/∂β: δ times the down-sampled input, summed</source>
        <translation>Bouvrie 的 ∂E/∂β：δ 乘以下采样后的输入，再求和</translation>
    </message>
    <message>
        <source>∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   (sum over the map and the batch)</source>
        <translation>∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   （对特征图和整批求和）</translation>
    </message>
    <message>
        <source>∂E/∂β of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂β（{shape}）</translation>
    </message>
    <message>
        <source>down(x) was kept from the forward pass. </source>
        <translation>down(x) 在前向传播时已保留。</translation>
    </message>
    <message>
        <source>The vocabulary of the lessons (net input u, sensitivity δ, up, down, β): §2 back-propagation in vector form, §3.1 convolution layers, §3.2 sub-sampling layers, each with its gradients.</source>
        <translation>讲解所用的术语（净输入 u、误差项 δ、up、down、β）：§2 向量形式的反向传播，§3.1 卷积层，§3.2 下采样层，各自的梯度。</translation>
    </message>
    <message>
        <source>LeNet-5: its layers C1–F6, the C3 connection table, the scaled tanh 1.7159·tanh(⅔·u), trainable subsampling, and MNIST&apos;s preparation of the digits.</source>
        <translation>LeNet-5：C1–F6 各层，C3 的连接表，缩放 tanh 1.7159·tanh(⅔·u)，可训练的下采样，以及 MNIST 对数字图像的预处理。</translation>
    </message>
    <message>
        <source>Convolution on a 4×4 image with the vertical Sobel kernel, pooling, softmax.</source>
        <translation>用竖直 Sobel 卷积核对 4×4 图像做卷积，池化，softmax。</translation>
    </message>
    <message>
        <source>Backpropagation through softmax + cross-entropy, max pooling and a conv layer (∂L/∂filter); the gradient-descent update.</source>
        <translation>经过 softmax + 交叉熵、最大池化和卷积层的反向传播（∂L/∂filter）；梯度下降的更新。</translation>
    </message>
    <message>
        <source>ReLU; a conv layer&apos;s output with depth D, stride S and zero padding P (formulas 4.1–4.4); pooling; the error through a conv layer (zeros inserted for the stride, formula 5.3 over N filters); a filter&apos;s weight gradient; the error through max and mean pooling.</source>
        <translation>ReLU；深度 D、步幅 S、补零 P 时卷积层的输出（式 4.1–4.4）；池化；误差项经过卷积层的传递（按步幅插入零，N 个 filter 的式 5.3）；filter 的权重梯度；误差项经过最大池化与平均池化的传递。</translation>
    </message>
    <message>
        <source>CNN backprop notes</source>
        <translation>CNN 反向传播笔记</translation>
    </message>
    <message>
        <source>§2 the output and hidden layers of a fully connected net with a sigmoid; §3.1.1 the input gradient of a convolution as a full convolution; §4 mean, max and Lp pooling with their derivatives.</source>
        <translation>§2 使用 sigmoid 的全连接网络的输出层与隐藏层；§3.1.1 卷积层输入的梯度即全卷积；§4 平均、最大与 Lp 池化及其导数。</translation>
    </message>
    <message>
        <source>the chain-rule derivation</source>
        <translation>链式法则推导</translation>
    </message>
    <message>
        <source>Forward propagation a = W·X, the output error Y − T, the hidden sensitivities (Σ W·δ) × f′ and the update of the weights.</source>
        <translation>前向传播 a = W·X，输出误差 Y − T，隐藏层误差项 (Σ W·δ) × f′，以及权重的更新。</translation>
    </message>
    <message>
        <source>textbook</source>
        <translation>教科书</translation>
    </message>
    <message>
        <source>The softmax + cross-entropy sensitivity δ = p − t and SGD with momentum and weight decay, as the engine applies them.</source>
        <translation>softmax + 交叉熵的误差项 δ = p − t，以及带动量和权重衰减的 SGD，与引擎的实现一致。</translation>
    </message>
    <message>
        <source>§3.1.1: ∂E/∂bⱼ = Σᵤᵥ (δⱼˡ)ᵤᵥ</source>
        <translation>§3.1.1: ∂E/∂bⱼ = Σᵤᵥ (δⱼˡ)ᵤᵥ</translation>
    </message>
    <message>
        <source>the bias gradient is the sum of the sensitivity map</source>
        <translation>偏置的梯度是误差项特征图之和</translation>
    </message>
    <message>
        <source>§2.2: ∂E/∂b = δ, the sensitivity to a bias</source>
        <translation>§2.2: ∂E/∂b = δ，对偏置的误差项</translation>
    </message>
    <message>
        <source>forward: {rule}</source>
        <translation>前向：{rule}</translation>
    </message>
    <message>
        <source>backward: {rule}</source>
        <translation>反向：{rule}</translation>
    </message>
    <message>
        <source>source: {works}</source>
        <translation>出处：{works}</translation>
    </message>
    <message>
        <source>Back through an activation: δ = ∂E/∂a ∘ f′(u)</source>
        <translation>反向经过激活函数：δ = ∂E/∂a ∘ f′(u)</translation>
    </message>
    <message>
        <source>∂E/∂x (input gradient)</source>
        <translation>∂E/∂x（输入的梯度）</translation>
    </message>
    <message>
        <source>the {count} entries of δ[{o}]</source>
        <translation>δ[{o}] 的 {count} 项</translation>
    </message>
    <message>
        <source>The bias gradient: the sum of δ</source>
        <translation>偏置的梯度：δ 之和</translation>
    </message>
    <message>
        <source>∂E/∂b of {layer} ({shape})</source>
        <translation>{layer} 的 ∂E/∂b（{shape}）</translation>
    </message>
    <message>
        <source>the conv layer: the 4×4 image and the vertical Sobel kernel (top-left output 29)</source>
        <translation>卷积层：4×4 图像与竖直 Sobel 卷积核（左上角输出 29）</translation>
    </message>
    <message>
        <source>“卷积层输出值的计算” (computing a conv layer&apos;s output), formula 4.1 (5×5 image, 3×3 filter)</source>
        <translation>“卷积层输出值的计算”，式 4.1（5×5 图像，3×3 filter）</translation>
    </message>
    <message>
        <source>formulas 4.2/4.3: W₂ = (W₁ − F + 2P)/S + 1 (stride 2 gives 2×2)</source>
        <translation>式 4.2/4.3: W₂ = (W₁ − F + 2P)/S + 1（步幅 2 得到 2×2）</translation>
    </message>
    <message>
        <source>formula 4.4: depth D, two filters, stride 2, zero padding 1</source>
        <translation>式 4.4：深度 D，两个 filter，步幅 2，补零 1</translation>
    </message>
    <message>
        <source>“卷积层误差项的传递” (the error through a conv layer), formula 5.2: zeros inserted for stride S</source>
        <translation>“卷积层误差项的传递”，式 5.2：按步幅 S 插入零</translation>
    </message>
    <message>
        <source>§3.1.1: the full convolution</source>
        <translation>§3.1.1: 全卷积</translation>
    </message>
    <message>
        <source>§3.2.1: rot180 and &apos;full&apos;</source>
        <translation>§3.2.1: rot180 与 &apos;full&apos;</translation>
    </message>
    <message>
        <source>formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹), summed over the filters</source>
        <translation>式 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)，对各 filter 求和</translation>
    </message>
    <message>
        <source>“卷积层filter权重梯度的计算” (a filter&apos;s weight gradient): the sensitivity map as the kernel over the input</source>
        <translation>“卷积层filter权重梯度的计算”：以误差项特征图为卷积核在输入上滑动</translation>
    </message>
    <message>
        <source>§3.1.1</source>
        <translation>§3.1.1</translation>
    </message>
    <message>
        <source>∂L/∂filter</source>
        <translation>∂L/∂filter</translation>
    </message>
    <message>
        <source>4×4 image ∗ vertical Sobel (Zhou 2019)</source>
        <translation>4×4 图像 ∗ 竖直 Sobel（Zhou 2019）</translation>
    </message>
    <message>
        <source>Multiply the 3×3 patch by the kernel cell by cell and add the nine products: 0·(−1) + 50·0 + 0·1 + 0·(−2) + 80·0 + 31·2 + 33·(−1) + 90·0 + 0·1 = 29. Bright outputs mark strong vertical edges.</source>
        <translation>把 3×3 的一块与卷积核逐格相乘，再把九个乘积相加：0·(−1) + 50·0 + 0·1 + 0·(−2) + 80·0 + 31·2 + 33·(−1) + 90·0 + 0·1 = 29。亮的输出标出强的竖直边缘。</translation>
    </message>
    <message>
        <source>5×5 ∗ 3×3, stride 1 (Han 2017)</source>
        <translation>5×5 ∗ 3×3，步幅 1（Han 2017）</translation>
    </message>
    <message>
        <source>a₀,₀ = 1+0+1+0+1+0+0+0+1 = 4, a₀,₁ = 3, … The window moves one pixel at a time: a 3×3 feature map.</source>
        <translation>a₀,₀ = 1+0+1+0+1+0+0+0+1 = 4, a₀,₁ = 3, … 窗口每次移动一个像素：得到 3×3 的特征图。</translation>
    </message>
    <message>
        <source>5×5 ∗ 3×3, stride 2 (Han 2017)</source>
        <translation>5×5 ∗ 3×3，步幅 2（Han 2017）</translation>
    </message>
    <message>
        <source>The window jumps two pixels: (5 − 3 + 0)/2 + 1 = 2, a 2×2 map.</source>
        <translation>窗口每次跳两个像素：(5 − 3 + 0)/2 + 1 = 2，得到 2×2 的特征图。</translation>
    </message>
    <message>
        <source>5×5×3 padded to 7×7×3, two 3×3×3 filters, stride 2 (Han 2017)</source>
        <translation>5×5×3 补零为 7×7×3，两个 3×3×3 filter，步幅 2（Han 2017）</translation>
    </message>
    <message>
        <source>Each filter has one 3×3 slice per input channel; the three slices&apos; sums and the bias (1 for filter 0, 0 for filter 1) make one output entry. Two filters give two maps: 3×3×2 out, 2·(3·3·3 + 1) = 56 parameters.</source>
        <translation>每个 filter 对每个输入通道有一个 3×3 切片；三个切片的和加上偏置（filter 0 为 1，filter 1 为 0）得到一个输出项。两个 filter 给出两个特征图：输出 3×3×2，参数 2·(3·3·3 + 1) = 56 个。</translation>
    </message>
    <message>
        <source>∂E/∂x of the Sobel example: full convolution with rot180(W)</source>
        <translation>Sobel 例子的 ∂E/∂x：与 rot180(W) 的全卷积</translation>
    </message>
    <message>
        <source>Pad δ with k−1 = 2 zeros, turn the kernel by 180° and slide it: every input pixel collects δ·w from each window that covered it.</source>
        <translation>在 δ 周围补 k−1 = 2 圈零，把卷积核旋转180度再滑动：每个输入像素收集覆盖过它的每个窗口的 δ·w。</translation>
    </message>
    <message>
        <source>∂E/∂x at stride 2: zeros inserted into δ</source>
        <translation>步幅 2 时的 ∂E/∂x：在 δ 中插入零</translation>
    </message>
    <message>
        <source>With stride 2 the forward window skipped positions; inserting one zero between the entries of δ restores the stride-1 layout, then it is the same full convolution.</source>
        <translation>步幅为 2 时前向的窗口跳过了一些位置；在 δ 的各项之间插入一个零，恢复步幅 1 的排列，之后就是同样的全卷积。</translation>
    </message>
    <message>
        <source>∂E/∂x of the 7×7×3 example: summed over both filters</source>
        <translation>7×7×3 例子的 ∂E/∂x：对两个 filter 求和</translation>
    </message>
    <message>
        <source>Input channel c collects from both δ maps through the c-th slice of each filter, turned by 180°; the forward padding is cropped off at the end.</source>
        <translation>输入通道 c 通过每个 filter 旋转180度后的第 c 个切片，从两个 δ 特征图收集；最后裁掉前向时的补零。</translation>
    </message>
    <message>
        <source>∂E/∂W: the input correlated with δ (stride 1)</source>
        <translation>∂E/∂W：输入与 δ 做互相关（步幅 1）</translation>
    </message>
    <message>
        <source>Weight sharing: w[p, q] touched every output, so its gradient sums δ[i, j]·x[i+p, j+q] over all of them — δ itself is the window.</source>
        <translation>权值共享：w[p, q] 参与了每个输出，所以它的梯度是所有输出上 δ[i, j]·x[i+p, j+q] 之和——δ 本身就是窗口。</translation>
    </message>
    <message>
        <source>∂E/∂W at stride 2: δ with zeros inserted as the window</source>
        <translation>步幅 2 时的 ∂E/∂W：插入零后的 δ 作为窗口</translation>
    </message>
    <message>
        <source>At stride 2, δ[i, j] met x[2i+p, 2j+q]: spread δ out with zeros and correlate as before.</source>
        <translation>步幅为 2 时，δ[i, j] 对应 x[2i+p, 2j+q]：用零把 δ 撑开，再像前面一样做互相关。</translation>
    </message>
    <message>
        <source>input x ({shape}{padding})</source>
        <translation>输入 x（{shape}{padding}）</translation>
    </message>
    <message>
        <source>kernel W</source>
        <translation>卷积核 W</translation>
    </message>
    <message>
        <source>output u ({shape}), stride S = {S}</source>
        <translation>输出 u（{shape}），步幅 S = {S}</translation>
    </message>
    <message>
        <source>{zeros} zero(s) inserted between the entries of δ (stride {S})</source>
        <translation>在 δ 的各项之间插入 {zeros} 个零（步幅 {S}）</translation>
    </message>
    <message>
        <source>{zeros} zeros around δ for the &apos;full&apos; convolution</source>
        <translation>为全卷积在 δ 周围补 {zeros} 圈零</translation>
    </message>
    <message>
        <source>the forward padding P = {P} cropped off</source>
        <translation>裁掉前向时的补零 P = {P}</translation>
    </message>
    <message>
        <source>rot180(W): the kernel turned by 180°</source>
        <translation>rot180(W)：旋转180度的卷积核</translation>
    </message>
    <message>
        <source>, {zeros} zero(s) inserted for stride {S}</source>
        <translation>，按步幅 {S} 插入 {zeros} 个零</translation>
    </message>
    <message>
        <source>input x</source>
        <translation>输入 x</translation>
    </message>
    <message>
        <source>δ as the window</source>
        <translation>δ 作为窗口</translation>
    </message>
    <message>
        <source>, zero padding P = {P} (grey)</source>
        <translation>，补零 P = {P}（灰色）</translation>
    </message>
    <message>
        <source>formula 4.4: depth D, stride S, zero padding P</source>
        <translation>式 4.4：深度 D，步幅 S，补零 P</translation>
    </message>
    <message>
        <source>the C3 connection table</source>
        <translation>C3 的连接表</translation>
    </message>
    <message>
        <source>{layer}: output map {o} of the live network</source>
        <translation>{layer}：正在训练的网络的输出特征图 {o}</translation>
    </message>
    <message>
        <source>The real input (the previous layer&apos;s activation for the selected sample), the real kernel and the real sum; the engine&apos;s value is shown beside it.</source>
        <translation>真实的输入（所选样本在上一层的激活值）、真实的卷积核和真实的求和；旁边显示引擎算出的值。</translation>
    </message>
    <message>
        <source>the current training batch</source>
        <translation>当前的训练批</translation>
    </message>
    <message>
        <source>the test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>standard normal noise (as cnnviz gradcheck)</source>
        <translation>标准正态噪声（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>the given images</source>
        <translation>给定的图像</translation>
    </message>
    <message>
        <source>1 noise image (as cnnviz gradcheck)</source>
        <translation>1 张噪声图像（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>{n} noise images (as cnnviz gradcheck)</source>
        <translation>{n} 张噪声图像（与 cnnviz gradcheck 相同）</translation>
    </message>
    <message>
        <source>1 sample of the current training batch</source>
        <translation>当前训练批中的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples of the current training batch</source>
        <translation>当前训练批中的 {n} 个样本</translation>
    </message>
    <message>
        <source>1 sample of the test set</source>
        <translation>测试集中的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples of the test set</source>
        <translation>测试集中的 {n} 个样本</translation>
    </message>
    <message>
        <source>1 sample given</source>
        <translation>给定的 1 个样本</translation>
    </message>
    <message>
        <source>{n} samples given</source>
        <translation>给定的 {n} 个样本</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>max rel. error {error} (threshold {threshold}): {verdict}</source>
        <translation>最大相对误差 {error}（阈值 {threshold}）：{verdict}</translation>
    </message>
    <message>
        <source>no current batch yet: checked on {what}</source>
        <translation>还没有当前批：改用{what}检验</translation>
    </message>
    <message>
        <source>{layer} is not a conv layer here: showing {name}</source>
        <translation>{layer} 在这里不是卷积层：显示 {name}</translation>
    </message>
    <message>
        <source>w = w − μ · ∂L/∂w, gradient descent</source>
        <translation>w = w − μ · ∂L/∂w，梯度下降</translation>
    </message>
    <message>
        <source>“权重的更新” (updating the weights)</source>
        <translation>“权重的更新”</translation>
    </message>
    <message>
        <source>SGD with momentum and weight decay, as the engine applies it</source>
        <translation>带动量和权重衰减的 SGD，即引擎的做法</translation>
    </message>
    <message>
        <source>SGD with momentum μ = {mu} and weight decay λ = {lam}: {rule}</source>
        <translation>带动量 μ = {mu}、权重衰减 λ = {lam} 的 SGD：{rule}</translation>
    </message>
    <message>
        <source>SGD with momentum μ = {mu}: {rule}</source>
        <translation>带动量 μ = {mu} 的 SGD：{rule}</translation>
    </message>
    <message>
        <source>SGD with weight decay λ = {lam}: {rule}</source>
        <translation>带权重衰减 λ = {lam} 的 SGD：{rule}</translation>
    </message>
    <message>
        <source>Gradient descent: {rule}</source>
        <translation>梯度下降：{rule}</translation>
    </message>
    <message>
        <source>The velocity accumulates the gradients</source>
        <translation>速度 v 累积历次的梯度</translation>
    </message>
    <message>
        <source>v before</source>
        <translation>更新前的 v</translation>
    </message>
    <message>
        <source>W before</source>
        <translation>更新前的 W</translation>
    </message>
    <message>
        <source>Algorithm 1: m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), θ ← θ − α·m̂/(√v̂ + ε)</source>
        <translation>算法 1：m̂ = m/(1−β₁ᵗ)，v̂ = v/(1−β₂ᵗ)，θ ← θ − α·m̂/(√v̂ + ε)</translation>
    </message>
    <message>
        <source>Algorithm 2: θ ← θ − η(α·m̂/(√v̂ + ε) + λθ)</source>
        <translation>算法 2：θ ← θ − η(α·m̂/(√v̂ + ε) + λθ)</translation>
    </message>
    <message>
        <source>divide the gradient by √(running mean of g²)</source>
        <translation>梯度除以 √(g² 的滑动平均)</translation>
    </message>
    <message>
        <source>the step η·g/√(Σ g²)</source>
        <translation>步长 η·g/√(Σ g²)</translation>
    </message>
    <message>
        <source>§2: Nesterov&apos;s accelerated gradient as momentum</source>
        <translation>§2：把 Nesterov 加速梯度写成动量</translation>
    </message>
    <message>
        <source>W before was not kept: it is reconstructed here from the step.</source>
        <translation>更新前的 W 没有保留：这里由这一步的步长还原。</translation>
    </message>
    <message>
        <source>Every parameter took its own step; shown: {entry}.</source>
        <translation>每个参数各走各的一步；这里显示的是 {entry}。</translation>
    </message>
    <message>
        <source>m: the running mean of the gradient (first moment)</source>
        <translation>m：梯度的滑动平均（一阶矩）</translation>
    </message>
    <message>
        <source>m before</source>
        <translation>更新前的 m</translation>
    </message>
    <message>
        <source>exp_avg (m) of {key}</source>
        <translation>{key} 的 exp_avg（m）</translation>
    </message>
    <message>
        <source>AdamW: decay the weight, then take Adam&apos;s step</source>
        <translation>AdamW：先让权重衰减，再走 Adam 的一步</translation>
    </message>
    <message>
        <source>Adam: a step scaled by the gradient&apos;s own running size</source>
        <translation>Adam：按梯度自身的滑动大小缩放的一步</translation>
    </message>
    <message>
        <source>step η·m̂/(√v̂ + ε)</source>
        <translation>步长 η·m̂/(√v̂ + ε)</translation>
    </message>
    <message>
        <source>Step {t}: m̂ and v̂ undo the start of m and v at 0. The step is about η wherever the gradient is steady, whatever its size.</source>
        <translation>第 {t} 步：m̂ 和 v̂ 抵消了 m、v 从 0 起步造成的偏小。凡是梯度稳定的地方，无论梯度多大，这一步都约为 η。</translation>
    </message>
    <message>
        <source>s: the running mean of g²</source>
        <translation>s：g² 的滑动平均</translation>
    </message>
    <message>
        <source>s before</source>
        <translation>更新前的 s</translation>
    </message>
    <message>
        <source>square_avg (s) of {key}</source>
        <translation>{key} 的 square_avg（s）</translation>
    </message>
    <message>
        <source>with momentum or centring, the step below is the engine&apos;s</source>
        <translation>带动量或中心化时，下面的步长取自引擎</translation>
    </message>
    <message>
        <source>RMSProp: divide the gradient by its running root mean square</source>
        <translation>RMSProp：梯度除以它的滑动均方根</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>S: the sum of every g² so far</source>
        <translation>S：到目前为止所有 g² 之和</translation>
    </message>
    <message>
        <source>S before</source>
        <translation>更新前的 S</translation>
    </message>
    <message>
        <source>sum (S) of {key}</source>
        <translation>{key} 的 sum（S）</translation>
    </message>
    <message>
        <source>AdaGrad: steps shrink as the squared gradients add up</source>
        <translation>AdaGrad：梯度平方越积越多，步子越来越小</translation>
    </message>
    <message>
        <source>A weight with large gradients so far moves less from now on.</source>
        <translation>以往梯度大的权重，此后移动得更少。</translation>
    </message>
    <message>
        <source>velocity of {key}</source>
        <translation>{key} 的速度 v</translation>
    </message>
    <message>
        <source>Nesterov momentum: step along the gradient and the velocity ahead</source>
        <translation>Nesterov 动量：沿梯度与前瞻一步的速度走一步</translation>
    </message>
    <message>
        <source>Plain momentum steps by η·v; Nesterov looks one velocity step ahead.</source>
        <translation>普通动量每步走 η·v；Nesterov 向前多看一步速度。</translation>
    </message>
    <message>
        <source>W before was not kept: it is reconstructed here as W + η·v.</source>
        <translation>更新前的 W 没有保留：这里按 W + η·v 还原。</translation>
    </message>
    <message>
        <source>η (learning rate)</source>
        <translation>η（学习率）</translation>
    </message>
    <message>
        <source>μ (momentum)</source>
        <translation>μ（动量）</translation>
    </message>
    <message>
        <source>λ (weight decay)</source>
        <translation>λ（权重衰减）</translation>
    </message>
    <message>
        <source>The engine applies −η·v, not −η·∂E/∂W: the velocity remembers past steps.</source>
        <translation>引擎施加的是 −η·v，而不是 −η·∂E/∂W：速度 v 记住了以往各步。</translation>
    </message>
    <message>
        <source>a small step against the gradient</source>
        <translation>沿梯度的反方向走一小步</translation>
    </message>
    <message>
        <source>{key} ({shape}): before → after</source>
        <translation>{key}（{shape}）：更新前 → 更新后</translation>
    </message>
    <message>
        <source>Every parameter of every layer took the same step; shown: {what}.</source>
        <translation>每一层的每个参数都按同样的规则走了一步；这里显示的是 {what}。</translation>
    </message>
    <message>
        <source>sample {k} of {n}</source>
        <translation>样本 {k} / {n}</translation>
    </message>
    <message>
        <source> (train #{i})</source>
        <translation>（训练集 #{i}）</translation>
    </message>
    <message>
        <source>test #{i}</source>
        <translation>测试集 #{i}</translation>
    </message>
    <message>
        <source>drawn sample</source>
        <translation>手绘样本</translation>
    </message>
    <message>
        <source>Algorithm 1: μ_B, σ²_B, x̂ = (x − μ_B)/√(σ²_B + ε), y = γx̂ + β</source>
        <translation>算法 1：μ_B，σ²_B，x̂ = (x − μ_B)/√(σ²_B + ε)，y = γx̂ + β</translation>
    </message>
    <message>
        <source>Algorithm 2: inference with the running mean and variance</source>
        <translation>算法 2：用滑动均值和方差做推理</translation>
    </message>
    <message>
        <source>§3: the chain rule through x̂, σ²_B and μ_B</source>
        <translation>§3：经过 x̂、σ²_B 与 μ_B 的链式法则</translation>
    </message>
    <message>
        <source>x̂ = (x − μ)/√(σ² + ε),   y = γ·x̂ + β   (μ, σ² of the channel over the batch)</source>
        <translation>x̂ = (x − μ)/√(σ² + ε),   y = γ·x̂ + β   （μ、σ² 为该通道在整批上的统计量）</translation>
    </message>
    <message>
        <source>the {m} values of channel {c} in the batch</source>
        <translation>这一批中通道 {c} 的 {m} 个值</translation>
    </message>
    <message>
        <source>μ[{c}]: the mean of {what}</source>
        <translation>μ[{c}]：{what}的均值</translation>
    </message>
    <message>
        <source>μ[{c}]: the running mean</source>
        <translation>μ[{c}]：滑动均值</translation>
    </message>
    <message>
        <source>mean μ of {layer} ({n},)</source>
        <translation>{layer} 的均值 μ（{n},）</translation>
    </message>
    <message>
        <source>σ²[{c}]: the variance of {what}</source>
        <translation>σ²[{c}]：{what}的方差</translation>
    </message>
    <message>
        <source>σ²[{c}]: the running variance</source>
        <translation>σ²[{c}]：滑动方差</translation>
    </message>
    <message>
        <source>variance σ² of {layer} ({n},)</source>
        <translation>{layer} 的方差 σ²（{n},）</translation>
    </message>
    <message>
        <source>x̂: the value normalised by the channel&apos;s statistics</source>
        <translation>x̂：用该通道的统计量归一化后的值</translation>
    </message>
    <message>
        <source>Batch norm: normalise, then scale by γ and shift by β</source>
        <translation>批归一化：先归一化，再乘以 γ、加上 β</translation>
    </message>
    <message>
        <source>output y</source>
        <translation>输出 y</translation>
    </message>
    <message>
        <source>Training mode: μ and σ² of the {m} values of channel {c} in this batch; the running statistics move towards them by the momentum.</source>
        <translation>训练模式：μ 和 σ² 取自这一批中通道 {c} 的 {m} 个值；滑动统计量按动量向它们靠拢。</translation>
    </message>
    <message>
        <source>Evaluation mode: μ and σ² are the running statistics kept in training.</source>
        <translation>评估模式：μ 和 σ² 是训练时保存的滑动统计量。</translation>
    </message>
    <message>
        <source>mean δ</source>
        <translation>δ 的均值</translation>
    </message>
    <message>
        <source>mean δ·x̂</source>
        <translation>δ·x̂ 的均值</translation>
    </message>
    <message>
        <source>Back through batch norm: δ less its mean and its x̂-part, × γ/σ̃</source>
        <translation>反向经过批归一化：δ 减去其均值和 x̂ 部分，再乘以 γ/σ̃</translation>
    </message>
    <message>
        <source>Back through batch norm in evaluation mode: δ × γ/σ̃</source>
        <translation>评估模式下反向经过批归一化：δ × γ/σ̃</translation>
    </message>
    <message>
        <source>∂E/∂x = (γ/√(σ² + ε))·δ   (μ and σ² are constants)</source>
        <translation>∂E/∂x = (γ/√(σ² + ε))·δ   （μ 与 σ² 为常数）</translation>
    </message>
    <message>
        <source>μ and σ² depend on every value of the channel: moving one x moves them, which gives the two mean terms (the standard derivation; only x̂, γ and the sums of δ and δ·x̂ are needed).</source>
        <translation>μ 和 σ² 取决于该通道的每一个值：动一个 x 就会动到它们，于是有了两个均值项（标准推导；只需要 x̂、γ 以及 δ 与 δ·x̂ 的和）。</translation>
    </message>
    <message>
        <source>The gradient of γ: δ times x̂, summed</source>
        <translation>γ 的梯度：δ 乘以 x̂ 再求和</translation>
    </message>
    <message>
        <source>Σ δ·x̂ (sample {s})</source>
        <translation>Σ δ·x̂（样本 {s}）</translation>
    </message>
    <message>
        <source>∂E/∂γ of {layer} ({n},)</source>
        <translation>{layer} 的 ∂E/∂γ（{n},）</translation>
    </message>
    <message>
        <source>β&apos;s gradient is the sum of δ, as a bias&apos;s.</source>
        <translation>β 的梯度是 δ 之和，和偏置的一样。</translation>
    </message>
    <message>
        <source>Batch norm above an activation: δ = ∂E/∂x of batch norm ∘ f′(u)</source>
        <translation>激活函数之上是批归一化：δ = 批归一化的 ∂E/∂x ∘ f′(u)</translation>
    </message>
    <message>
        <source>Batch norm&apos;s backward phase gave ∂E/∂x; this phase multiplies by f′(u).</source>
        <translation>批归一化的反向阶段给出了 ∂E/∂x；这一阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>Help ▸ Concepts: {page}</source>
        <translation>帮助 ▸ 概念：{page}</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>反向</translation>
    </message>
    <message>
        <source>global avg pool</source>
        <translation>全局平均池化</translation>
    </message>
    <message>
        <source>batch norm</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>subsample</source>
        <translation>下采样</translation>
    </message>
    <message>
        <source>maxpool</source>
        <translation>最大池化</translation>
    </message>
    <message>
        <source>avgpool</source>
        <translation>平均池化</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>随机失活</translation>
    </message>
    <message>
        <source>flatten</source>
        <translation>展平</translation>
    </message>
    <message>
        <source>conv</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>全连接</translation>
    </message>
    <message>
        <source>pool</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>table</source>
        <translation>连接表</translation>
    </message>
    <message>
        <source>§4: r ~ Bernoulli(1 − p), ỹ = r ∗ y; scaled by 1/(1 − p) in training</source>
        <translation>§4：r ~ Bernoulli(1 − p)，ỹ = r ∗ y；训练时乘以 1/(1 − p)</translation>
    </message>
    <message>
        <source>§5.1: back-propagation through the thinned network</source>
        <translation>§5.1：在稀疏化后的网络中反向传播</translation>
    </message>
    <message>
        <source>y = x·r/(1 − p),   r ~ Bernoulli(1 − p) (1: kept, 0: dropped)</source>
        <translation>y = x·r/(1 − p),   r ~ Bernoulli(1 − p)（1：保留，0：丢弃）</translation>
    </message>
    <message>
        <source>∂E/∂x = δ·r/(1 − p): ×1/(1 − p) where kept, 0 where dropped</source>
        <translation>∂E/∂x = δ·r/(1 − p)：保留处 ×1/(1 − p)，丢弃处为 0</translation>
    </message>
    <message>
        <source>Dropout is off: y = x (evaluation mode, or p = 0)</source>
        <translation>随机失活关闭：y = x（评估模式，或 p = 0）</translation>
    </message>
    <message>
        <source>In evaluation mode every value is kept and nothing is scaled.</source>
        <translation>评估模式下每个值都保留，也不做缩放。</translation>
    </message>
    <message>
        <source>Dropout kept this value and scaled it by 1/(1 − p) = {scale}</source>
        <translation>随机失活保留了这个值，并乘以 1/(1 − p) = {scale}</translation>
    </message>
    <message>
        <source>Scaling by 1/(1 − p) keeps the mean of y equal to that of x (p = {p}).</source>
        <translation>乘以 1/(1 − p) 使 y 的均值与 x 的相等（p = {p}）。</translation>
    </message>
    <message>
        <source>Dropout dropped this value: y = 0</source>
        <translation>随机失活丢弃了这个值：y = 0</translation>
    </message>
    <message>
        <source>Each value is dropped with probability p = {p}, anew every step.</source>
        <translation>每个值以概率 p = {p} 被丢弃，每一步重新抽取。</translation>
    </message>
    <message>
        <source>r (1 kept, 0 dropped)</source>
        <translation>r（1 保留，0 丢弃）</translation>
    </message>
    <message>
        <source>δ{i} = {value} (passed through: evaluation mode)</source>
        <translation>δ{i} = {value}（原样通过：评估模式）</translation>
    </message>
    <message>
        <source>δ{i} of {layer}</source>
        <translation>{layer} 的 δ{i}</translation>
    </message>
    <message>
        <source>Back through dropout: δ·r/(1 − p)</source>
        <translation>反向经过随机失活：δ·r/(1 − p)</translation>
    </message>
    <message>
        <source>∂E/∂x = δ·r/(1 − p)   (×1/(1 − p) where kept, 0 where dropped)</source>
        <translation>∂E/∂x = δ·r/(1 − p)   （保留处 ×1/(1 − p)，丢弃处为 0）</translation>
    </message>
    <message>
        <source>Dropout above an activation: δ = (δ·r/(1 − p)) ∘ f′(u)</source>
        <translation>激活函数之上是随机失活：δ = (δ·r/(1 − p)) ∘ f′(u)</translation>
    </message>
    <message>
        <source>Dropout&apos;s backward phase applied the mask; this phase multiplies by f′(u).</source>
        <translation>随机失活的反向阶段应用了掩码；这一阶段乘以 f′(u)。</translation>
    </message>
    <message>
        <source>§3.2: the average of each feature map</source>
        <translation>§3.2：每张特征图的平均值</translation>
    </message>
    <message>
        <source>§3.2 global average pooling</source>
        <translation>§3.2 全局平均池化</translation>
    </message>
    <message>
        <source>§4 mean pooling: the sensitivity spread evenly over the window</source>
        <translation>§4 平均池化：误差项平均分配到窗口内</translation>
    </message>
    <message>
        <source>Global average pooling: the mean of each map</source>
        <translation>全局平均池化：每张图的均值</translation>
    </message>
    <message>
        <source>No weights: every position of the map counts the same.</source>
        <translation>没有权重：图中每个位置的分量都相同。</translation>
    </message>
    <message>
        <source>Global average pooling spreads δ/HW over the map</source>
        <translation>全局平均池化把 δ/HW 分摊到整张图</translation>
    </message>
    <message>
        <source>Global average pooling above an activation: δ = δ[c]/HW ∘ f′(u)</source>
        <translation>激活函数之上是全局平均池化：δ = δ[c]/HW ∘ f′(u)</translation>
    </message>
    <message>
        <source>Every position of map c gets the same share of δ[c].</source>
        <translation>图 c 的每个位置都分到同样的一份 δ[c]。</translation>
    </message>
</context>
<context>
    <name>mapgrid</name>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>min</source>
        <translation>最小</translation>
    </message>
    <message>
        <source>per map</source>
        <translation>逐图</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>filters 1–{k} of {n}</source>
        <translation>卷积核 1–{k}（共 {n} 个）</translation>
    </message>
    <message>
        <source>input channels 1–{k} of {n}</source>
        <translation>输入通道 1–{k}（共 {n} 个）</translation>
    </message>
    <message>
        <source>showing {what}</source>
        <translation>显示{what}</translation>
    </message>
    <message>
        <source>previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>filter {o}, input channel {c}</source>
        <translation>卷积核 {o}，输入通道 {c}</translation>
    </message>
    <message>
        <source>map {i}</source>
        <translation>特征图 {i}</translation>
    </message>
    <message>
        <source>unit {i}</source>
        <translation>单元 {i}</translation>
    </message>
    <message>
        <source>row {row}, col {col}</source>
        <translation>第 {row} 行，第 {col} 列</translation>
    </message>
</context>
<context>
    <name>overview</name>
    <message>
        <source>activation f(u)</source>
        <translation>激活值 f(u)</translation>
    </message>
    <message>
        <source>net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>sensitivity δ</source>
        <translation>误差项 δ</translation>
    </message>
    <message>
        <source>∂E/∂input</source>
        <translation>∂E/∂x（输入）</translation>
    </message>
    <message>
        <source>δ = ∂E/∂u</source>
        <translation>误差项 δ = ∂E/∂u</translation>
    </message>
    <message>
        <source>the input has no δ</source>
        <translation>输入没有 δ</translation>
    </message>
    <message>
        <source>not needed
(first layer)</source>
        <translation>不需要
（第一层）</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>Maps show:</source>
        <translation>特征图显示：</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>δ follows the phase: stepping phases, show δ = ∂E/∂u during the backward pass and f(u) going forward</source>
        <translation>δ 跟随阶段：逐阶段执行时，反向传播中显示 δ = ∂E/∂u，前向时显示 f(u)</translation>
    </message>
    <message>
        <source>loss E</source>
        <translation>损失 E</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>no network yet</source>
        <translation>还没有网络</translation>
    </message>
    <message>
        <source>{arrow} phase {k}/{n}: {phase}</source>
        <translation>{arrow} 阶段 {k}/{n}：{phase}</translation>
    </message>
    <message>
        <source>step {step} done: weights updated</source>
        <translation>第 {step} 步完成：权重已更新</translation>
    </message>
    <message>
        <source>at step {step}, as opened: take a step</source>
        <translation>第 {step} 步（刚打开）：请执行一步</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>尚未开始</translation>
    </message>
</context>
<context>
    <name>plots</name>
    <message>
        <source>‖∂E/∂W‖  weight gradient</source>
        <translation>‖∂E/∂W‖  权重梯度</translation>
    </message>
    <message>
        <source>Norm of the gradient of the loss with respect to the layer&apos;s weights.</source>
        <translation>损失对该层权重的梯度（权重梯度）的范数。</translation>
    </message>
    <message>
        <source>‖δ‖  sensitivity</source>
        <translation>‖δ‖  误差项</translation>
    </message>
    <message>
        <source>Norm of the sensitivities δ = ∂E/∂u arriving at the layer&apos;s output (per-sample norms, summed over the batch).</source>
        <translation>到达该层输出的误差项 δ = ∂E/∂u 的范数（每个样本的范数，对整批求和）。</translation>
    </message>
    <message>
        <source>‖ΔW‖/‖W‖  relative update</source>
        <translation>‖ΔW‖/‖W‖  相对更新量</translation>
    </message>
    <message>
        <source>Size of the last weight update relative to the weights (around 1e-3 is healthy).</source>
        <translation>最近一次权重更新相对于权重的大小（1e-3 左右为健康）。</translation>
    </message>
    <message>
        <source>dead ReLU fraction</source>
        <translation>死亡 ReLU 比例</translation>
    </message>
    <message>
        <source>dead ReLUs (%)</source>
        <translation>死亡 ReLU (%)</translation>
    </message>
    <message>
        <source>Fraction of the ReLU units after the layer that are 0 for every sample of the batch.</source>
        <translation>该层之后的 ReLU 单元中，对本批每个样本都输出 0 的比例。</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss E</source>
        <translation>损失 E</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Logarithmic loss axis: shows progress late in training</source>
        <translation>损失轴取对数：能看出训练后期的进展</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <source>Per layer</source>
        <translation>逐层</translation>
    </message>
    <message>
        <source>no layer records this statistic</source>
        <translation>没有层记录这一统计量</translation>
    </message>
    <message>
        <source> (log)</source>
        <translation>（对数）</translation>
    </message>
    <message>
        <source>now {value}</source>
        <translation>当前 {value}</translation>
    </message>
    <message>
        <source>smoothed (EMA β={beta})</source>
        <translation>平滑（EMA β={beta}）</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>每批</translation>
    </message>
    <message>
        <source>{accuracy} at step {step}</source>
        <translation>{accuracy}（第 {step} 步）</translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>dashed: {name}</source>
        <translation>虚线：{name}</translation>
    </message>
</context>
<context>
    <name>process</name>
    <message>
        <source>Could not start: {message}. File ▸ New or Open to go on</source>
        <translation>无法启动：{message}。请用 文件 ▸ 新建 或 打开 继续</translation>
    </message>
    <message>
        <source>Training finished: all epochs done</source>
        <translation>训练结束：所有轮次已完成</translation>
    </message>
    <message>
        <source>Preparing {what}…</source>
        <translation>正在准备 {what}…</translation>
    </message>
    <message>
        <source>Ready: press Space to train, → to step a batch</source>
        <translation>就绪：按空格键训练，按 → 单步训练一批</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>Training has stopped: File ▸ New or Open to go on</source>
        <translation>训练已停止：请用 文件 ▸ 新建 或 打开 继续</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reading an image folder</source>
        <translation>正在读取图像文件夹</translation>
    </message>
    <message>
        <source>Reading the images of {folder}: {done} of {total}…</source>
        <translation>正在读取 {folder} 中的图像：第 {done} 张，共 {total} 张…</translation>
    </message>
    <message>
        <source>Downloading a dataset</source>
        <translation>正在下载数据集</translation>
    </message>
    <message>
        <source>Downloading {what}…</source>
        <translation>正在下载 {what}…</translation>
    </message>
</context>
<context>
    <name>references</name>
    <message>
        <source>References</source>
        <translation>参考文献</translation>
    </message>
    <message>
        <source>Each rule in the Backprop rule panel and each example of the convolution explainer ends with the works it comes from, by the short names below.</source>
        <translation>“反向传播规则”面板中的每条规则、卷积演示中的每个示例，末尾都用下面的简称注明其出处。</translation>
    </message>
</context>
<context>
    <name>rules</name>
    <message>
        <source>Step a phase (Shift+→) to see the rule applied</source>
        <translation>单步执行一个阶段（Shift+→），即可看到所应用的规则</translation>
    </message>
    <message>
        <source>Each phase of the training step applies one rule of backpropagation: forward layer by layer, the loss, δ backward layer by layer, then the update. The rule is shown here with the numbers of the selected sample.</source>
        <translation>训练的每一步由若干阶段组成，每个阶段应用反向传播的一条规则：逐层前向，计算损失，δ 逐层反向，最后更新。这里用所选样本的实际数值展示该规则。</translation>
    </message>
    <message>
        <source>No Chinese font is installed: install the package fonts-noto-cjk (sudo apt install fonts-noto-cjk) and restart cnnviz.</source>
        <translation>未安装中文字体：请安装软件包 fonts-noto-cjk（sudo apt install fonts-noto-cjk），然后重新启动 cnnviz。</translation>
    </message>
    <message>
        <source>Phase {done} of {total}</source>
        <translation>阶段 {done} / {total}</translation>
    </message>
    <message>
        <source>Between steps</source>
        <translation>两步之间</translation>
    </message>
    <message>
        <source>agrees</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>result {value} &amp;nbsp;·&amp;nbsp; engine {engine} &amp;nbsp;{verdict}</source>
        <translation>结果 {value} &amp;nbsp;·&amp;nbsp; 引擎 {engine} &amp;nbsp;{verdict}</translation>
    </message>
    <message>
        <source>at {position}: {where}</source>
        <translation>位置 {position}：{where}</translation>
    </message>
    <message>
        <source>Source: </source>
        <translation>出处：</translation>
    </message>
    <message>
        <source>… {n} more</source>
        <translation>… 另有 {n} 项</translation>
    </message>
    <message>
        <source>Also in this phase:</source>
        <translation>本阶段还有：</translation>
    </message>
</context>
<context>
    <name>sample</name>
    <message>
        <source>no prediction yet</source>
        <translation>还没有预测</translation>
    </message>
    <message>
        <source>No sample yet: take a training step.</source>
        <translation>还没有样本：请先训练一步。</translation>
    </message>
    <message>
        <source>Which sample of the training batch the views trace</source>
        <translation>各视图追踪训练批中的哪个样本</translation>
    </message>
    <message>
        <source>no sample yet:
take a training step</source>
        <translation>还没有样本：
请先训练一步</translation>
    </message>
    <message>
        <source>{correct} true class &amp;nbsp; {wrong} predicted, wrong</source>
        <translation>{correct} 真实类别 &amp;nbsp; {wrong} 预测错误的类别</translation>
    </message>
    <message>
        <source>Batch sample</source>
        <translation>批中样本</translation>
    </message>
    <message>
        <source> of {n}</source>
        <translation> / {n}</translation>
    </message>
    <message>
        <source>Test sample #</source>
        <translation>测试样本编号</translation>
    </message>
    <message>
        <source>Index in the test set; press Show (or Enter) to trace it</source>
        <translation>测试集中的编号；按“显示”（或回车键）追踪该样本</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Trace a random test sample</source>
        <translation>追踪一个随机的测试样本</translation>
    </message>
    <message>
        <source>From the &lt;b&gt;training batch&lt;/b&gt;: {sample}</source>
        <translation>来自&lt;b&gt;训练批&lt;/b&gt;：{sample}</translation>
    </message>
    <message>
        <source>From the &lt;b&gt;test set&lt;/b&gt;: test #{i}</source>
        <translation>来自&lt;b&gt;测试集&lt;/b&gt;：测试样本 #{i}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Drawn by hand&lt;/b&gt;</source>
        <translation>&lt;b&gt;手写输入&lt;/b&gt;</translation>
    </message>
    <message>
        <source>From {source} #{i}</source>
        <translation>来自 {source} #{i}</translation>
    </message>
    <message>
        <source>label &lt;b&gt;{label}&lt;/b&gt;</source>
        <translation>标签 &lt;b&gt;{label}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>predicted &lt;b&gt;{predicted}&lt;/b&gt;&amp;nbsp;({confidence}&amp;nbsp;%)</source>
        <translation>预测 &lt;b&gt;{predicted}&lt;/b&gt;&amp;nbsp;（{confidence}&amp;nbsp;%）</translation>
    </message>
    <message>
        <source>label &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;→&amp;nbsp; predicted {predicted}&amp;nbsp;({confidence}&amp;nbsp;%)</source>
        <translation>标签 &lt;b&gt;{label}&lt;/b&gt; &amp;nbsp;→&amp;nbsp; 预测 {predicted}&amp;nbsp;（{confidence}&amp;nbsp;%）</translation>
    </message>
    <message>
        <source>step {step} · epoch {epoch} of {epochs} ({percent} %)</source>
        <translation>第 {step} 步 · 轮次 {epoch} / {epochs}（{percent} %）</translation>
    </message>
    <message>
        <source>batch loss {loss} · step {step} · epoch {epoch} of {epochs} ({percent} %)</source>
        <translation>批损失 {loss} · 第 {step} 步 · 轮次 {epoch} / {epochs}（{percent} %）</translation>
    </message>
    <message>
        <source>sample loss {loss} · step {step} · epoch {epoch} of {epochs} ({percent} %)</source>
        <translation>样本损失 {loss} · 第 {step} 步 · 轮次 {epoch} / {epochs}（{percent} %）</translation>
    </message>
    <message>
        <source>Tracing a single sample: the next training step brings the batch back</source>
        <translation>正在追踪单个样本：下一个训练步会回到训练批</translation>
    </message>
</context>
<context>
    <name>speeds</name>
    <message>
        <source>1 phase/s</source>
        <translation>每秒 1 个阶段</translation>
    </message>
    <message>
        <source>3 phases/s</source>
        <translation>每秒 3 个阶段</translation>
    </message>
    <message>
        <source>10 phases/s</source>
        <translation>每秒 10 个阶段</translation>
    </message>
    <message>
        <source>1 batch/s</source>
        <translation>每秒 1 批</translation>
    </message>
    <message>
        <source>5 batches/s</source>
        <translation>每秒 5 批</translation>
    </message>
    <message>
        <source>20 batches/s</source>
        <translation>每秒 20 批</translation>
    </message>
    <message>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
</context>
<context>
    <name>stages</name>
    <message>
        <source>activation f(u)</source>
        <translation>激活值 f(u)</translation>
    </message>
    <message>
        <source>net input u</source>
        <translation>净输入 u</translation>
    </message>
    <message>
        <source>δ = ∂E/∂u</source>
        <translation>误差项 δ = ∂E/∂u</translation>
    </message>
    <message>
        <source>∂E/∂input</source>
        <translation>∂E/∂输入</translation>
    </message>
    <message>
        <source>input {shape}</source>
        <translation>输入 {shape}</translation>
    </message>
    <message>
        <source>conv</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>全连接</translation>
    </message>
    <message>
        <source>max-pool</source>
        <translation>最大池化</translation>
    </message>
    <message>
        <source>mean-pool</source>
        <translation>平均池化</translation>
    </message>
    <message>
        <source>Lp-pool</source>
        <translation>Lp 池化</translation>
    </message>
    <message>
        <source>global mean-pool</source>
        <translation>全局平均池化</translation>
    </message>
    <message>
        <source>subsample</source>
        <translation>下采样</translation>
    </message>
    <message>
        <source>bn</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>随机失活</translation>
    </message>
    <message>
        <source>relu</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>leaky_relu</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>sigmoid</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>scaled_tanh</source>
        <translation>缩放 tanh</translation>
    </message>
    <message>
        <source>output of {kind}</source>
        <translation>{kind}的输出</translation>
    </message>
    <message>
        <source>net input u = γ·x̂ + β (after batch norm)</source>
        <translation>净输入 u = γ·x̂ + β（批归一化之后）</translation>
    </message>
    <message>
        <source>activation f(u) (before dropout)</source>
        <translation>激活值 f(u)（随机失活之前）</translation>
    </message>
    <message>
        <source>output (after dropout)</source>
        <translation>输出（随机失活之后）</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{architecture} on {dataset}</source>
        <translation>{architecture}，数据集 {dataset}</translation>
    </message>
    <message>
        <source>phase {k}/{n}: {phase}</source>
        <translation>阶段 {k}/{n}：{phase}</translation>
    </message>
    <message>
        <source>between steps</source>
        <translation>两步之间</translation>
    </message>
    <message>
        <source>loss {loss}</source>
        <translation>损失 {loss}</translation>
    </message>
    <message>
        <source>training finished after epoch {epochs} · step {step}{loss} · Play asks for more epochs</source>
        <translation>训练在第 {epochs} 轮次后完成 · 第 {step} 步{loss} · 按“播放”可追加轮次</translation>
    </message>
    <message>
        <source>{lr} (step schedule from {base})</source>
        <translation>{lr}（步进调度，起始 {base}）</translation>
    </message>
    <message>
        <source>{lr} (cosine schedule from {base})</source>
        <translation>{lr}（余弦调度，起始 {base}）</translation>
    </message>
    <message>
        <source>step {step} · epoch {epoch}/{epochs} ({progress})</source>
        <translation>第 {step} 步 · 轮次 {epoch}/{epochs}（{progress}）</translation>
    </message>
    <message>
        <source>{rate} images/s · η = {lr}</source>
        <translation>{rate} 张图像/秒 · η = {lr}</translation>
    </message>
    <message>
        <source>paused · η = {lr}</source>
        <translation>已暂停 · η = {lr}</translation>
    </message>
</context>
<context>
    <name>timeline</name>
    <message>
        <source>no timeline yet:
it records the weights every few steps</source>
        <translation>还没有时间线：
它每隔几步记录一次权重</translation>
    </message>
    <message>
        <source>no sample yet</source>
        <translation>还没有样本</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Maps of the sample</source>
        <translation>样本的特征图</translation>
    </message>
    <message>
        <source>▶  Play</source>
        <translation>▶  播放</translation>
    </message>
    <message>
        <source>❚❚  Pause</source>
        <translation>❚❚  暂停</translation>
    </message>
    <message>
        <source>Go back to this step: training continues from it (the later steps are dropped)</source>
        <translation>回到这一步：训练从这里继续（之后的步被丢弃）</translation>
    </message>
    <message>
        <source>Resume works for the last {n} steps only</source>
        <translation>只能从最近 {n} 步继续</translation>
    </message>
    <message>
        <source>Walk through the recorded steps</source>
        <translation>依次播放记录下的各步</translation>
    </message>
    <message>
        <source>Previous recorded step</source>
        <translation>上一个记录的步</translation>
    </message>
    <message>
        <source>Drag to go back to an earlier step (← → step through)</source>
        <translation>拖动以回到较早的一步（← → 逐步浏览）</translation>
    </message>
    <message>
        <source>Next recorded step</source>
        <translation>下一个记录的步</translation>
    </message>
    <message>
        <source>Step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>Resume from here</source>
        <translation>从这里继续</translation>
    </message>
    <message>
        <source>Filters of</source>
        <translation>卷积核所在层</translation>
    </message>
    <message>
        <source>The conv layer whose kernels and maps are shown</source>
        <translation>显示其卷积核与特征图的卷积层</translation>
    </message>
    <message>
        <source>Maps show</source>
        <translation>特征图显示</translation>
    </message>
    <message>
        <source>map</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>This is the step training is at: it goes on from here</source>
        <translation>这就是训练当前所在的步：训练本来就从这里继续</translation>
    </message>
    <message>
        <source>Resume works for the last {n} steps only: step {step} is older (the oldest that can be resumed from now is step {oldest})</source>
        <translation>只能从最近 {n} 步继续：第 {step} 步更早（现在能继续的最早一步是第 {oldest} 步）</translation>
    </message>
    <message>
        <source>Resume works for the last {n} steps only: step {step} is older</source>
        <translation>只能从最近 {n} 步继续：第 {step} 步更早</translation>
    </message>
    <message>
        <source>recorded entry {i} of {n}</source>
        <translation>记录的第 {i} 项，共 {n} 项</translation>
    </message>
    <message>
        <source>epoch {epoch} · loss &lt;b&gt;{loss}&lt;/b&gt; · test accuracy &lt;b&gt;{accuracy}&lt;/b&gt;</source>
        <translation>轮次 {epoch} · 损失 &lt;b&gt;{loss}&lt;/b&gt; · 测试准确率 &lt;b&gt;{accuracy}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no conv layer</source>
        <translation>没有卷积层</translation>
    </message>
    <message>
        <source>Filters of {layer} — {o} × {c} kernels {h}×{w}, step {step}</source>
        <translation>{layer} 的卷积核 — {o} × {c} 个 {h}×{w} 卷积核，第 {step} 步</translation>
    </message>
    <message>
        <source>Maps of {layer}</source>
        <translation>{layer} 的特征图</translation>
    </message>
    <message>
        <source>{layer} maps of the sample: {kind}</source>
        <translation>样本在 {layer} 的特征图：{kind}</translation>
    </message>
    <message>
        <source>no δ without a label</source>
        <translation>没有标签就没有 δ</translation>
    </message>
    <message>
        <source>not computed</source>
        <translation>未计算</translation>
    </message>
    <message>
        <source>predicted &lt;b&gt;{predicted}&lt;/b&gt;</source>
        <translation>预测 &lt;b&gt;{predicted}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>label &lt;b&gt;{label}&lt;/b&gt; · predicted {predicted}</source>
        <translation>标签 &lt;b&gt;{label}&lt;/b&gt; · 预测 {predicted}</translation>
    </message>
    <message>
        <source>Resume from step {step}? The {later} later steps are dropped.</source>
        <translation>从第 {step} 步继续？之后的 {later} 步将被丢弃。</translation>
    </message>
    <message>
        <source>could not show that timeline entry: {error}</source>
        <translation>无法显示这一条时间线记录：{error}</translation>
    </message>
</context>
</TS>
